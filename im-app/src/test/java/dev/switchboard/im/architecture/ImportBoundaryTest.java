package dev.switchboard.im.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The boundaries the folder names promise, checked on the IM's production classes: a change that crosses one fails
 * here with the offending class and import, instead of eroding the layout unnoticed.
 */
class ImportBoundaryTest {

    private static final JavaClasses IM = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.switchboard.im");

    @Test
    void theImUsesOnlyTheFrameworksPublicApi() {
        noClasses().should().dependOnClassesThat(resideInAPackage("dev.switchboard.framework..")
                        .and(not(resideInAnyPackage("dev.switchboard.framework", "dev.switchboard.framework.wire"))))
                .because("the framework's machinery (framework.internal) is not API: applications use the user API"
                        + " and, for their own wire format, the wire SPI")
                .check(IM);
    }

    @Test
    void theImTestsReachTheFrameworkThroughItsTestKitNotItsInternals() {
        JavaClasses tests = new ClassFileImporter().withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("dev.switchboard.im");
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.switchboard.framework.internal..")
                .because("a test that builds framework internals breaks with every refactoring of them; the"
                        + " framework's test jar (dev.switchboard.framework.testing) offers what tests need")
                .check(tests);
    }

    @Test
    void theImNeverTouchesNettyDirectly() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.netty..")
                .because("the framework's user API hides Netty; a handler needing it means the API lacks something")
                .check(IM);
    }

    @Test
    void onlyTheServerBootstrapPicksAStoreImplementation() {
        noClasses().that().resideOutsideOfPackages("dev.switchboard.im.store..")
                .and().doNotHaveFullyQualifiedName("dev.switchboard.im.server.ImServer")
                .should().dependOnClassesThat()
                .resideInAnyPackage("dev.switchboard.im.store.memory..", "dev.switchboard.im.store.sqlite..",
                        "dev.switchboard.im.store.postgres..")
                .because("handlers work on the store interfaces, whatever store runs")
                .check(IM);
    }

    @Test
    void theStoreProtocolAndClientKnowNothingOfTheServer() {
        noClasses().that().resideInAnyPackage("dev.switchboard.im.store..", "dev.switchboard.im.protocol..",
                        "dev.switchboard.im.client..")
                .should().dependOnClassesThat().resideInAPackage("dev.switchboard.im.server..")
                .check(IM);
    }

    @Test
    void theStoreImplementationsDoNotDependOnEachOther() {
        for (String store : STORES) {
            noClasses().that().resideInAPackage(store + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(STORES.stream()
                            .filter(other -> !other.equals(store)).map(other -> other + "..").toArray(String[]::new))
                    .because("each store stands alone; what they share lives in dev.switchboard.im.store")
                    .check(IM);
        }
    }

    private static final java.util.List<String> STORES = java.util.List.of("dev.switchboard.im.store.memory",
            "dev.switchboard.im.store.sqlite", "dev.switchboard.im.store.postgres");

    @Test
    void theStoreInterfacesDoNotDependOnTheirImplementations() {
        noClasses().that().resideInAPackage("dev.switchboard.im.store")
                .and().doNotHaveSimpleName("StoreModule")
                .should().dependOnClassesThat()
                .resideInAnyPackage("dev.switchboard.im.store.memory..", "dev.switchboard.im.store.sqlite..",
                        "dev.switchboard.im.store.postgres..")
                .check(IM);
    }
}
