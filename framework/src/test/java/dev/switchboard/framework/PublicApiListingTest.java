package dev.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.FieldInfo;
import io.github.classgraph.MethodInfo;
import io.github.classgraph.ScanResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The framework's public API, frozen in {@code framework/api/public-api.txt}: every public type of the API packages
 * (the user API and the wire-format SPI)
 * with its public and protected members. A change to the API is then always a visible diff of that file. After an
 * intended change, regenerate it with {@code mvn -pl framework test -Dtest=PublicApiListingTest -Dapi.update=true}
 * and commit it with the change.
 */
class PublicApiListingTest {

    /** The packages applications may import; everything else of the framework is internal. */
    private static final String[] API_PACKAGES = {"dev.switchboard.framework", "dev.switchboard.framework.wire"};
    private static final Path LISTING = Path.of("api", "public-api.txt");

    @Test
    void thePublicApiIsTheCommittedOne() throws IOException {
        String actual = String.join("\n", listing()) + "\n";
        if (Boolean.getBoolean("api.update")) {
            Files.createDirectories(LISTING.getParent());
            Files.writeString(LISTING, actual, StandardCharsets.UTF_8);
        }
        assertThat(LISTING).as("the committed API listing (see this test's Javadoc to update it)").exists();
        String committed = Files.readString(LISTING, StandardCharsets.UTF_8);
        assertThat(actual).as("the public API changed; if on purpose, regenerate %s with -Dapi.update=true",
                LISTING).isEqualTo(committed);
    }

    private static List<String> listing() {
        List<String> lines = new ArrayList<>();
        try (ScanResult scan = new ClassGraph().enableClassInfo().enableMethodInfo().enableFieldInfo()
                .acceptPackagesNonRecursive(API_PACKAGES).scan()) {
            for (ClassInfo type : scan.getAllClasses()) {
                boolean testCode = type.getClasspathElementFile().getPath().contains("test-classes");
                if (!type.isPublic() || testCode) {
                    continue;
                }
                lines.add(type.getModifiersStr() + " " + kind(type) + " " + type.getName()
                        + supertypes(type));
                List<String> members = new ArrayList<>();
                for (FieldInfo field : type.getDeclaredFieldInfo()) {
                    if (field.isPublic() || field.isProtected()) {
                        members.add("  " + field);
                    }
                }
                for (MethodInfo method : type.getDeclaredMethodAndConstructorInfo()) {
                    if ((method.isPublic() || method.isProtected()) && !method.isSynthetic()
                            && !method.isBridge()) {
                        members.add("  " + method); // Java syntax, fully qualified names
                    }
                }
                members.sort(null);
                lines.addAll(members);
            }
        }
        return lines;
    }

    private static String kind(ClassInfo type) {
        if (type.isAnnotation()) {
            return "@interface";
        }
        if (type.isInterface()) {
            return "interface";
        }
        if (type.isEnum()) {
            return "enum";
        }
        return type.isRecord() ? "record" : "class";
    }

    private static String supertypes(ClassInfo type) {
        StringBuilder out = new StringBuilder();
        if (type.getSuperclass() != null && !type.getSuperclass().getName().startsWith("java.lang.")) {
            out.append(" extends ").append(type.getSuperclass().getName());
        }
        List<String> interfaces = type.getInterfaces().directOnly().getNames();
        if (!interfaces.isEmpty()) {
            out.append(" implements ").append(String.join(", ", interfaces));
        }
        return out.toString();
    }
}
