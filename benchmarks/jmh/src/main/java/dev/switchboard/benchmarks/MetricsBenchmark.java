package dev.switchboard.benchmarks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one meter update costs in a Prometheus registry, the registry the IM server records into: a counter
 * increment and a timer record (with the 18 buckets of the handler latency histogram), the two kinds of update
 * every message makes several of. Run with {@code -t 2} too: two event loops update the same meters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBenchmark {

    private static final Duration[] BUCKETS = {
            Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000),
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2_500),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private Counter counter;
    private Timer timer;

    @Setup
    public void setUp() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        counter = Counter.builder("bench.counter").register(registry);
        timer = Timer.builder("bench.timer").serviceLevelObjectives(BUCKETS).register(registry);
    }

    @Benchmark
    public void counterIncrement() {
        counter.increment();
    }

    @Benchmark
    public void timerRecord() {
        timer.record(120_000, TimeUnit.NANOSECONDS);
    }

    /** A timer record as the dispatcher makes it: the clock read at dispatch and at the outcome included. */
    @Benchmark
    public void timedRequest() {
        long start = System.nanoTime();
        timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
}
