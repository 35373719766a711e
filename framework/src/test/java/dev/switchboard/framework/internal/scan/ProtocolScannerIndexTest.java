package dev.switchboard.framework.internal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.wire.DefaultWireFormat;
import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.Serializers;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which way the scanner finds the classes: the index when it covers the packages, ClassGraph otherwise. */
class ProtocolScannerIndexTest {

    private static final List<Serializer> SERIALIZERS = List.of(Serializers.json(), Serializers.jsonb());

    @TempDir
    Path dir;

    /** Packets and handlers as the scanner reports them, and where it found them. */
    private record Result(List<String> packets, List<String> handlers, String source) {}

    private static Result scan(ProtocolScanner.Finder finder, Path... classPath) throws IOException {
        URL[] urls = new URL[classPath.length];
        for (int i = 0; i < classPath.length; i++) {
            urls[i] = classPath[i].toUri().toURL();
        }
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(urls, ProtocolScannerIndexTest.class.getClassLoader())) {
            thread.setContextClassLoader(loader);
            ScannedProtocol protocol = ProtocolScanner.begin(List.of("idx.p"), new DefaultWireFormat(), SERIALIZERS,
                    ProtocolScanner.Side.SERVER, finder, Runnable::run);
            protocol.awaitSerializerChecks();
            return new Result(protocol.packetTypes().stream().map(type -> type.code() + " " + type.name()).toList(),
                    protocol.handlers().stream().map(HandlerMethod::describe).toList(), protocol.source());
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void anIndexThatCoversThePackagesIsUsedAndFindsWhatClassGraphFinds() throws IOException {
        Path out = dir.resolve("out");
        IndexedSources.compile(dir.resolve("src"), out, true, ProtocolIndexProcessorTest.PROTOCOL);

        Result indexed = scan(ProtocolScanner.Finder.INDEX_OR_CLASSGRAPH, out);
        Result scanned = scan(ProtocolScanner.Finder.CLASSGRAPH, out);

        assertThat(indexed.source()).isEqualTo("the protocol index");
        assertThat(indexed.packets()).containsExactly("1 Hello", "2 Reply");
        assertThat(indexed.handlers()).containsExactly("@Handles Handlers.hello(Hello)");
        assertThat(scanned.source()).isEqualTo("ClassGraph (asked to)");
        assertThat(scanned.packets()).isEqualTo(indexed.packets());
        assertThat(scanned.handlers()).isEqualTo(indexed.handlers());
    }

    @Test
    void withoutAnIndexClassGraphScans() throws IOException {
        Path out = dir.resolve("out");
        IndexedSources.compile(dir.resolve("src"), out, false, ProtocolIndexProcessorTest.PROTOCOL);

        Result result = scan(ProtocolScanner.Finder.INDEX_OR_CLASSGRAPH, out);

        assertThat(result.source()).isEqualTo("ClassGraph (protocol index not used: there is none on the class path)");
        assertThat(result.packets()).containsExactly("1 Hello", "2 Reply");
    }

    @Test
    void aStaleIndexDropsNoCommandClassGraphScans() throws IOException {
        Path out = dir.resolve("out");
        IndexedSources.compile(dir.resolve("src"), out, true, ProtocolIndexProcessorTest.PROTOCOL);
        // An IDE compiling one new file without annotation processing: the index does not know it.
        IndexedSources.compile(dir.resolve("src2"), out, false, Map.of("idx.p.Later",
                "package idx.p; import dev.switchboard.framework.Command;\n@Command(code = 3) public record Later() {}"));

        Result result = scan(ProtocolScanner.Finder.INDEX_OR_CLASSGRAPH, out);

        assertThat(result.source()).startsWith("ClassGraph (protocol index not used: the index of file:")
                .endsWith("is stale: idx.p.Later is not listed (compiled without the index processor?))");
        assertThat(result.packets()).containsExactly("1 Hello", "3 Later", "2 Reply"); // by class name
    }

    @Test
    void anIndexCoveringOnlySomeEntriesIsNotUsed() throws IOException {
        Path indexed = dir.resolve("indexed");
        IndexedSources.compile(dir.resolve("src"), indexed, true, ProtocolIndexProcessorTest.PROTOCOL);
        Path plain = dir.resolve("plain");
        IndexedSources.compile(dir.resolve("src2"), plain, false, Map.of("idx.p.Later",
                "package idx.p; import dev.switchboard.framework.Command;\n@Command(code = 3) public record Later() {}"));

        Result result = scan(ProtocolScanner.Finder.INDEX_OR_CLASSGRAPH,
                IndexedSources.jar(indexed, dir.resolve("a.jar")), IndexedSources.jar(plain, dir.resolve("b.jar")));

        assertThat(result.source()).startsWith("ClassGraph (protocol index not used: jar:file:")
                .endsWith("b.jar!/ holds package idx.p but has no index)");
        assertThat(result.packets()).containsExactly("1 Hello", "3 Later", "2 Reply"); // by class name
    }
}
