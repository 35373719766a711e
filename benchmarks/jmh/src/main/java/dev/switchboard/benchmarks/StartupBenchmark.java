package dev.switchboard.benchmarks;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.switchboard.framework.wire.DefaultWireFormat;
import dev.switchboard.framework.wire.Serializers;
import dev.switchboard.framework.internal.scan.ProtocolScanner;
import dev.switchboard.framework.internal.scan.ScannedProtocol;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ClassGraph scan and validation of a protocol, and the floor under any wiring: Guice's first injector, with no
 * binding at all. Single-shot in fresh JVMs measures the cold start a server actually pays; the IM's own packages
 * are scanned when they are on the classpath.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(5)
public class StartupBenchmark {

    @Benchmark
    public ScannedProtocol coldScan() {
        return ProtocolScanner.scan(List.of("dev.switchboard.benchmarks.fixture"), new DefaultWireFormat(),
                List.of(Serializers.json(), Serializers.jsonb()), ProtocolScanner.Side.SERVER);
    }

    /** What the wiring pays for Guice before any module of its own: the first injector of a JVM, empty. */
    @Benchmark
    public Injector coldEmptyInjector() {
        return Guice.createInjector();
    }
}
