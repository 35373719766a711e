package dev.switchboard.framework.internal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtocolIndexTest {

    private static final Map<String, String> PROTOCOL = ProtocolIndexProcessorTest.PROTOCOL;
    private static final Map<String, String> UNINDEXED_COMMAND = Map.of("idx.p.Later",
            "package idx.p; import dev.switchboard.framework.Command;\n@Command(code = 3) public record Later() {}");

    @TempDir
    Path dir;

    private static ProtocolIndex.Lookup lookup(List<String> packages, Path... classPath) throws IOException {
        URL[] urls = new URL[classPath.length];
        for (int i = 0; i < classPath.length; i++) {
            urls[i] = classPath[i].toUri().toURL();
        }
        try (URLClassLoader loader = new URLClassLoader(urls, ProtocolIndexTest.class.getClassLoader())) {
            return ProtocolIndex.lookup(loader, packages);
        }
    }

    private static List<String> names(List<Class<?>> classes) {
        return classes.stream().map(Class::getName).toList();
    }

    private static String unusable(ProtocolIndex.Lookup lookup) {
        assertThat(lookup).isInstanceOf(ProtocolIndex.Lookup.Unusable.class);
        return ((ProtocolIndex.Lookup.Unusable) lookup).reason();
    }

    @Test
    void anIndexCoveringThePackagesNamesTheirPacketsAndHandlers() throws IOException {
        Path out = dir.resolve("out");
        IndexedSources.compile(dir.resolve("src"), out, true, PROTOCOL);

        for (Path entry : List.of(out, IndexedSources.jar(out, dir.resolve("protocol.jar")))) {
            ProtocolIndex.Lookup lookup = lookup(List.of("idx.p"), entry);

            assertThat(lookup).isInstanceOf(ProtocolIndex.Lookup.Found.class);
            ProtocolIndex.Lookup.Found found = (ProtocolIndex.Lookup.Found) lookup;
            assertThat(names(found.packets())).as("from %s", entry).containsExactly("idx.p.Hello", "idx.p.Reply");
            assertThat(names(found.handlers())).containsExactly("idx.p.sub.Handlers");
        }
    }

    @Test
    void theIndexesOfSeveralJarsAreMerged() throws IOException {
        Path protocol = dir.resolve("protocol");
        IndexedSources.compile(dir.resolve("src"), protocol, true, Map.of(
                "idx.p.Hello", PROTOCOL.get("idx.p.Hello"), "idx.p.Reply", PROTOCOL.get("idx.p.Reply")));
        Path server = dir.resolve("server");
        IndexedSources.compile(dir.resolve("src2"), server, true, Map.of(
                "idx.p.sub.Handlers", PROTOCOL.get("idx.p.sub.Handlers")), protocol);

        ProtocolIndex.Lookup lookup = lookup(List.of("idx.p"), IndexedSources.jar(protocol, dir.resolve("a.jar")),
                IndexedSources.jar(server, dir.resolve("b.jar")));

        ProtocolIndex.Lookup.Found found = (ProtocolIndex.Lookup.Found) lookup;
        assertThat(names(found.packets())).containsExactly("idx.p.Hello", "idx.p.Reply");
        assertThat(names(found.handlers())).containsExactly("idx.p.sub.Handlers");
    }

    @Test
    void noIndex() throws IOException {
        IndexedSources.compile(dir.resolve("src"), dir.resolve("out"), false, PROTOCOL);

        assertThat(unusable(lookup(List.of("idx.p"), dir.resolve("out")))).isEqualTo("there is none on the class path");
    }

    @Test
    void aClassPathEntryWithoutAnIndexHoldingAPackageAskedFor() throws IOException {
        IndexedSources.compile(dir.resolve("src"), dir.resolve("indexed"), true, PROTOCOL);
        IndexedSources.compile(dir.resolve("src2"), dir.resolve("plain"), false, UNINDEXED_COMMAND);

        assertThat(unusable(lookup(List.of("idx.p"), dir.resolve("indexed"), dir.resolve("plain"))))
                .endsWith("plain/ holds package idx.p but has no index");
    }

    @Test
    void aClassCompiledWithoutTheProcessorIntoAnIndexedDirectory() throws IOException {
        Path out = dir.resolve("out");
        IndexedSources.compile(dir.resolve("src"), out, true, PROTOCOL);
        IndexedSources.compile(dir.resolve("src2"), out, false, UNINDEXED_COMMAND);

        assertThat(unusable(lookup(List.of("idx.p"), out)))
                .contains("is stale: idx.p.Later is not listed (compiled without the index processor?)");
    }

    @Test
    void aClassRecompiledWithoutTheProcessorThatBecameACommand() throws IOException {
        Path out = dir.resolve("out");
        IndexedSources.compile(dir.resolve("src"), out, true, PROTOCOL);
        IndexedSources.compile(dir.resolve("src2"), out, false, Map.of("idx.p.Plain",
                "package idx.p; import dev.switchboard.framework.Command;\n@Command(code = 4) record Plain() {}"));

        assertThat(unusable(lookup(List.of("idx.p"), out)))
                .contains("is stale: idx.p.Plain names @Command or @Handles but is not listed as such");
    }

    @Test
    void aListedClassWhoseFileIsGone() throws IOException {
        Path out = dir.resolve("out");
        IndexedSources.compile(dir.resolve("src"), out, true, PROTOCOL);
        Files.delete(out.resolve("idx/p/Reply.class"));

        assertThat(unusable(lookup(List.of("idx.p"), out))).contains("is stale: idx.p.Reply is listed but has no class file");
        Path jar = IndexedSources.jar(out, dir.resolve("protocol.jar"));
        assertThat(unusable(lookup(List.of("idx.p"), jar)))
                .isEqualTo("it lists idx.p.Reply as a @Command class, but it cannot be loaded");
    }

    @Test
    void aMergedJarThatKeptAnotherModulesIndexOnly() throws IOException {
        Path merged = dir.resolve("merged");
        IndexedSources.compile(dir.resolve("src"), merged, false, PROTOCOL);
        IndexedSources.compile(dir.resolve("src2"), dir.resolve("other"), true, Map.of("idx.q.Other",
                "package idx.q; import dev.switchboard.framework.Command;\n@Command(code = 9) public record Other() {}"));
        Files.createDirectories(merged.resolve("META-INF/switchboard"));
        Files.copy(dir.resolve("other").resolve(ProtocolIndex.RESOURCE), merged.resolve(ProtocolIndex.RESOURCE));

        assertThat(unusable(lookup(List.of("idx.p"), IndexedSources.jar(merged, dir.resolve("app.jar")))))
                .endsWith("app.jar!/ lists nothing in package idx.p");
    }

    @Test
    void aPackageNoEntryHolds() throws IOException {
        IndexedSources.compile(dir.resolve("src"), dir.resolve("out"), true, PROTOCOL);

        assertThat(unusable(lookup(List.of("idx.nowhere"), dir.resolve("out"))))
                .isEqualTo("no class path entry holds package idx.nowhere");
    }

    @Test
    void anIndexThatCannotBeRead() throws IOException {
        Path out = dir.resolve("out");
        IndexedSources.compile(dir.resolve("src"), out, true, PROTOCOL);
        Files.writeString(out.resolve(ProtocolIndex.RESOURCE), "C idx.p.Hello\nwhat is this\n");

        assertThat(unusable(lookup(List.of("idx.p"), out)))
                .isEqualTo("cannot read it: not a protocol index line: what is this");
    }

    @Test
    void theAnnotationCheckLooksForTheConstantPoolEntryItself() {
        assertThat(ProtocolIndex.mentionsProtocolAnnotations(utf8Entry("Ldev/switchboard/framework/Command;")))
                .isTrue();
        assertThat(ProtocolIndex.mentionsProtocolAnnotations(utf8Entry("(Ldev/switchboard/framework/Command;)V")))
                .as("a method taking a Command, not an annotation").isFalse();
    }

    /** A class file's CONSTANT_Utf8 entry: tag 1, a two-byte length, the text. */
    private static byte[] utf8Entry(String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] entry = new byte[bytes.length + 3];
        entry[0] = 1;
        entry[2] = (byte) bytes.length;
        System.arraycopy(bytes, 0, entry, 3, bytes.length);
        return entry;
    }
}
