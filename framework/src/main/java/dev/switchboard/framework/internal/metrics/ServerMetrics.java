package dev.switchboard.framework.internal.metrics;

import dev.switchboard.framework.Failure;
import dev.switchboard.framework.internal.codec.CloseReason;
import dev.switchboard.framework.internal.codec.PacketType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * Every meter a server records, registered once when it starts: the per-command counters and timers sit in arrays
 * indexed by command code, so that recording a frame is an array read and an increment, never a registry lookup or
 * a tag built on the hot path. One per server, shared by all its channels; thread-safe (Micrometer's meters are).
 * {@link #close()} removes the server's meters from the registry. A server without a registry has none of this:
 * its pipeline has no metering handlers and its handlers test for null.
 *
 * <p>Names follow Micrometer's conventions (dotted, lowercase, base units; a Prometheus registry renders
 * {@code switchboard.frames.received} as {@code switchboard_frames_received_total}); every tag has a small, fixed
 * set of values: command names come from the scanned packet classes, and frames with an unknown code share the
 * value {@value #UNKNOWN}.
 */
public final class ServerMetrics implements AutoCloseable {

    /** The {@code command} tag of frames whose code no packet class has. */
    public static final String UNKNOWN = "unknown";

    /** Upper bounds of the handler latency histogram's buckets: 50 µs to 10 s, roughly 1-2.5-5 per decade. */
    static final Duration[] LATENCY_BUCKETS = {
            Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000),
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2_500),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};

    /** Why a new connection was closed as soon as accepted. */
    public enum Refusal {
        MAX_CONNECTIONS("max-connections"), PER_SOURCE_OPEN("per-source-open"), PER_SOURCE_RATE("per-source-rate");

        final String tag;

        Refusal(String tag) {
            this.tag = tag;
        }
    }

    /** What {@link #latencyStart()} returns for a request that is not timed. */
    public static final long NOT_TIMED = Long.MIN_VALUE;

    private final MeterRegistry registry;
    private final int latencySampling;
    private final List<Meter> meters = new ArrayList<>();

    // Frame counts are LongAdders read by FunctionCounters: the hottest meters, and an adder's increment is the
    // cheapest thread-safe one (a Prometheus Counter adds a DoubleAdder and an exemplar check to it).
    private final LongAdder[] framesReceived; // by code; null where no packet class has the code
    private final LongAdder framesReceivedUnknown;
    private final LongAdder[] framesSent;
    private final LongAdder framesSentUnknown;
    private final Timer[] latency; // by code; null where no handler handles it
    private final Counter bytesReceived;
    private final Counter bytesSent;
    private final Counter opened;
    // EnumMaps: array lookups by ordinal underneath, without depending on the order of the constants.
    private final Map<CloseReason, Counter> closed = new EnumMap<>(CloseReason.class);
    private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);
    private final Map<Failure.Kind, Counter> failures = new EnumMap<>(Failure.Kind.class);
    private final Counter errorHandlerFailed;
    private final Counter pipelineException;
    private final Counter authRefused;

    /**
     * Registers the meters of a server speaking these packets.
     *
     * @param handled whether a packet class has a handler on this server (only those get a latency timer)
     * @param latencySampling time one request in this many (1: every request)
     */
    public ServerMetrics(MeterRegistry registry, Collection<PacketType> packets, Predicate<Class<?>> handled,
            int latencySampling) {
        if (latencySampling < 1) {
            throw new IllegalArgumentException("latencySampling < 1: " + latencySampling);
        }
        this.registry = registry;
        this.latencySampling = latencySampling;
        int size = packets.stream().mapToInt(PacketType::code).max().orElse(-1) + 1;
        framesReceived = new LongAdder[size];
        framesSent = new LongAdder[size];
        latency = new Timer[size];
        Map<String, Integer> names = new HashMap<>();
        packets.forEach(type -> names.merge(type.name(), 1, Integer::sum));
        for (PacketType type : packets) {
            // Two packet classes of one simple name (in different packages) keep apart by their code.
            String command = names.get(type.name()) > 1 ? type.name() + "#" + type.code() : type.name();
            framesReceived[type.code()] = framesReceived(command);
            framesSent[type.code()] = framesSent(command);
            if (handled.test(type.type())) {
                latency[type.code()] = add(Timer.builder("switchboard.handler.latency")
                        .description("Time from dispatching a request to its outcome (reply, nothing or failure), "
                                + "blocking and asynchronous work included")
                        .tag("command", command).serviceLevelObjectives(LATENCY_BUCKETS).register(registry));
            }
        }
        framesReceivedUnknown = framesReceived(UNKNOWN);
        framesSentUnknown = framesSent(UNKNOWN);
        bytesReceived = add(Counter.builder("switchboard.received.bytes").baseUnit("bytes")
                .description("Bytes read from connections (TLS records included)").register(registry));
        bytesSent = add(Counter.builder("switchboard.sent.bytes").baseUnit("bytes")
                .description("Bytes written to connections (TLS records included)").register(registry));
        opened = add(Counter.builder("switchboard.connections.opened")
                .description("Connections accepted").register(registry));
        for (CloseReason reason : CloseReason.values()) {
            closed.put(reason, add(Counter.builder("switchboard.connections.closed")
                    .description("Accepted connections closed, by why").tag("reason", reason.tag())
                    .register(registry)));
        }
        for (Refusal reason : Refusal.values()) {
            refused.put(reason, add(Counter.builder("switchboard.connections.refused")
                    .description("Connections closed as soon as accepted, over a limit").tag("reason", reason.tag)
                    .register(registry)));
        }
        for (Failure.Kind kind : Failure.Kind.values()) {
            failures.put(kind, error(kind.name().toLowerCase(Locale.ROOT).replace('_', '-')));
        }
        errorHandlerFailed = error("error-handler-failed");
        pipelineException = error("pipeline-exception");
        authRefused = add(Counter.builder("switchboard.auth.refused")
                .description("Packets refused by the auth gate because the connection was not authenticated")
                .register(registry));
    }

    private LongAdder framesReceived(String command) {
        return frames("switchboard.frames.received", "Frames read, by command", command);
    }

    private LongAdder framesSent(String command) {
        return frames("switchboard.frames.sent", "Frames written, by command", command);
    }

    private LongAdder frames(String name, String description, String command) {
        LongAdder frames = new LongAdder();
        add(FunctionCounter.builder(name, frames, LongAdder::doubleValue).description(description)
                .tag("command", command).register(registry));
        return frames;
    }

    private Counter error(String kind) {
        return add(Counter.builder("switchboard.errors")
                .description("Requests that failed (by Failure.Kind), error handlers that threw, exceptions that "
                        + "reached the end of the pipeline").tag("kind", kind).register(registry));
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    /**
     * Registers the gauges read from the server's live state: open and unwritable connections, the bytes queued
     * above the connections' writability (read when scraped, by walking the open channels), and the business
     * executor. Called once, when those exist.
     */
    public void watch(IntSupplier openConnections, Iterable<Channel> channels, ThreadPoolExecutor business) {
        add(Gauge.builder("switchboard.connections.open", openConnections, IntSupplier::getAsInt)
                .description("Connections open now").strongReference(true).register(registry));
        add(Gauge.builder("switchboard.connections.unwritable", channels, ServerMetrics::unwritable)
                .description("Open connections over their high water mark now (not reading from them)")
                .strongReference(true).register(registry));
        add(Gauge.builder("switchboard.outbound.backlog", channels, ServerMetrics::backlog).baseUnit("bytes")
                .description("Bytes queued for writing beyond what would make each connection writable again, "
                        + "summed over connections").strongReference(true).register(registry));
        add(Gauge.builder("switchboard.business.queue", business, executor -> executor.getQueue().size())
                .description("Blocking handler calls waiting for a business thread").strongReference(true)
                .register(registry));
        add(Gauge.builder("switchboard.business.active", business, ThreadPoolExecutor::getActiveCount)
                .description("Business threads running a blocking handler").strongReference(true)
                .register(registry));
    }

    private static double unwritable(Iterable<Channel> channels) {
        int count = 0;
        for (Channel channel : channels) {
            if (!channel.isWritable()) {
                count++;
            }
        }
        return count;
    }

    private static double backlog(Iterable<Channel> channels) {
        long bytes = 0;
        for (Channel channel : channels) {
            bytes += channel.bytesBeforeWritable(); // 0 while writable; volatile reads, safe off the event loop
        }
        return bytes;
    }

    /** {@code frames} frames of this command code were read. */
    public void framesReceived(int code, int frames) {
        (code >= 0 && code < framesReceived.length && framesReceived[code] != null ? framesReceived[code]
                : framesReceivedUnknown).add(frames);
    }

    /** {@code frames} frames of this command code were written. */
    public void framesSent(int code, int frames) {
        (code >= 0 && code < framesSent.length && framesSent[code] != null ? framesSent[code] : framesSentUnknown)
                .add(frames);
    }

    public void bytesReceived(long bytes) {
        bytesReceived.increment((double) bytes);
    }

    public void bytesSent(long bytes) {
        bytesSent.increment((double) bytes);
    }

    /**
     * When a request being dispatched now starts, for {@link #handled}: {@link System#nanoTime()} for one request in
     * {@code latencySampling} (chosen at random, so that no pattern in a client's traffic skews the sample), and
     * {@link #NOT_TIMED} for the others, which then read no clock at all.
     */
    public long latencyStart() {
        return latencySampling == 1 || ThreadLocalRandom.current().nextInt(latencySampling) == 0
                ? System.nanoTime() : NOT_TIMED;
    }

    /** A request of this command, started at {@code startNanos} ({@link #latencyStart()}), has its outcome. */
    public void handled(int code, long startNanos) {
        if (startNanos == NOT_TIMED) {
            return;
        }
        Timer timer = code >= 0 && code < latency.length ? latency[code] : null;
        if (timer != null) {
            timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }

    public void opened() {
        opened.increment();
    }

    public void closed(CloseReason reason) {
        closed.get(reason).increment();
    }

    public void refused(Refusal reason) {
        refused.get(reason).increment();
    }

    public void failed(Failure.Kind kind) {
        failures.get(kind).increment();
    }

    public void errorHandlerFailed() {
        errorHandlerFailed.increment();
    }

    public void pipelineException() {
        pipelineException.increment();
    }

    public void authRefused() {
        authRefused.increment();
    }

    /** Removes this server's meters from the registry: a closed server reports nothing, and holds nothing. */
    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
