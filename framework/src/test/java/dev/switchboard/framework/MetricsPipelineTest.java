package dev.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.framework.fixtures.echo.Packets.Bye;
import dev.switchboard.framework.fixtures.echo.Packets.Echo;
import dev.switchboard.framework.fixtures.echo.Packets.Echoed;
import dev.switchboard.framework.fixtures.echo.Packets.Fail;
import dev.switchboard.framework.fixtures.echo.Packets.Later;
import dev.switchboard.framework.fixtures.echo.Packets.Login;
import dev.switchboard.framework.fixtures.echo.Packets.Ping;
import dev.switchboard.framework.fixtures.echo.Packets.Slow;
import dev.switchboard.framework.internal.transport.ChannelConnection;
import dev.switchboard.framework.internal.transport.PipelineNames;
import dev.switchboard.framework.wire.FrameHeader;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The framework's meters on the production server pipeline ({@link EmbeddedServer}, fake time): what each frame,
 * request, refusal and close adds to a {@link SimpleMeterRegistry}.
 */
class MetricsPipelineTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private EmbeddedServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private void start(Consumer<ServerConfig> config) {
        server = new EmbeddedServer(c -> config.accept(c.metrics(registry)));
    }

    private void advance(Duration time) {
        server.channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        server.channel.runScheduledPendingTasks();
        server.channel.runPendingTasks();
    }

    /** A counter's count, whether a Counter or a FunctionCounter (the frame counts) holds it. */
    private double count(String name, String tag, String value) {
        Meter meter = registry.find(name).tag(tag, value).meter();
        assertThat(meter).as(name + "{" + tag + "=" + value + "}").isNotNull();
        return meter.measure().iterator().next().getValue();
    }

    private double closed(String reason) {
        return count("switchboard.connections.closed", "reason", reason);
    }

    private long latencyCount(String command) {
        Timer timer = registry.find("switchboard.handler.latency").tag("command", command).timer();
        assertThat(timer).as("latency of " + command).isNotNull();
        return timer.count();
    }

    private void login() {
        server.send(new Login("ann"));
        server.runBusiness();
        server.replies();
    }

    @Test
    void theOnlyMeteringHandlerSitsNearestTheSocket() {
        start(c -> {});
        assertThat(server.handlerNames()).containsExactly(PipelineNames.BYTES, PipelineNames.FLUSH,
                PipelineNames.TRACKER, PipelineNames.SLOW_CONSUMER, PipelineNames.READ_GATE,
                PipelineNames.FRAME_DECODER, PipelineNames.FRAME_RATE, PipelineNames.IDLE, PipelineNames.IDLE_ACTION,
                PipelineNames.PACKET_DECODER, PipelineNames.PACKET_ENCODER, PipelineNames.ORDER, PipelineNames.AUTH,
                PipelineNames.DISPATCH, PipelineNames.ERRORS);
    }

    @Test
    void framesAreCountedByCommandBothWaysAndUnknownCodesShareOneTag() {
        start(c -> {});
        login();
        server.send(new Echo("a"));
        server.send(new Echo("b"));
        server.send(new Ping(1));
        server.sendRaw(server.codec.raw(new FrameHeader(1, 1, 200, 2), "{}".getBytes(StandardCharsets.UTF_8)));
        server.sendRaw(server.codec.raw(new FrameHeader(1, 1, 201, 2), "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(server.replies()).hasSize(5); // two Echoed, a Pong, two Oops

        assertThat(count("switchboard.frames.received", "command", "Login")).isEqualTo(1);
        assertThat(count("switchboard.frames.received", "command", "Echo")).isEqualTo(2);
        assertThat(count("switchboard.frames.received", "command", "Ping")).isEqualTo(1);
        assertThat(count("switchboard.frames.received", "command", "unknown")).isEqualTo(2);
        assertThat(count("switchboard.frames.sent", "command", "LoginOk")).isEqualTo(1);
        assertThat(count("switchboard.frames.sent", "command", "Echoed")).isEqualTo(2);
        assertThat(count("switchboard.frames.sent", "command", "Pong")).isEqualTo(1);
        assertThat(count("switchboard.frames.sent", "command", "Oops")).isEqualTo(2);
        assertThat(count("switchboard.errors", "kind", "unknown-command")).isEqualTo(2);
        // Tags exist for every packet class from the start, so a rate is defined before the first frame.
        assertThat(count("switchboard.frames.received", "command", "Slow")).isZero();
    }

    @Test
    void aSharedFrameCountsOncePerWriteUnderItsCommand() {
        start(c -> {});
        Connection connection = ChannelConnection.of(server.channel);
        SharedFrame frame = connection.encode(new Echoed("to all"), 1, 1);
        assertThat(count("switchboard.frames.sent", "command", "Echoed")).as("encoding is not writing").isZero();
        connection.post(frame);
        connection.post(frame);
        frame.release();
        server.channel.runPendingTasks();

        assertThat(server.written()).hasSize(2);
        assertThat(count("switchboard.frames.sent", "command", "Echoed")).isEqualTo(2);
        assertThat(count("switchboard.frames.sent", "command", "unknown")).isZero();
    }

    @Test
    void bytesAreCountedAsTheyCrossTheSocket() {
        start(c -> {});
        byte[] ping = server.codec.bytes(new Ping(7));
        server.sendRaw(Unpooled.wrappedBuffer(ping));
        int written = server.written().stream().mapToInt(frame -> frame.header().bodyLength()
                + server.codec.format().headerLength()).sum();

        assertThat(registry.find("switchboard.received.bytes").counter().count()).isEqualTo(ping.length);
        assertThat(written).isPositive();
        assertThat(registry.find("switchboard.sent.bytes").counter().count()).isEqualTo(written);
    }

    @Test
    void everyOutcomeOfARequestIsTimedOnceForItsCommand() {
        start(c -> {});
        login(); // blocking
        server.send(new Echo("sync"));
        server.send(new Fail("boom"));
        server.send(new Later("stage"));
        assertThat(latencyCount("Later")).isZero(); // not done yet: its stage is still open
        CompletableFuture<Echoed> stage = server.probe.later.poll();
        stage.complete(new Echoed("done"));
        server.channel.runPendingTasks();
        server.send(new Slow("s"));
        server.runBusiness();

        assertThat(latencyCount("Login")).isEqualTo(1);
        assertThat(latencyCount("Echo")).isEqualTo(1);
        assertThat(latencyCount("Fail")).isEqualTo(1);
        assertThat(latencyCount("Later")).isEqualTo(1);
        assertThat(latencyCount("Slow")).isEqualTo(1);
        assertThat(count("switchboard.errors", "kind", "handler-failed")).isEqualTo(1);
        // Only commands with a handler here have a timer.
        assertThat(registry.find("switchboard.handler.latency").tag("command", "Echoed").timer()).isNull();
    }

    @Test
    void aLatencySampleTimesAboutOneRequestInNWhileEveryFrameIsCounted() {
        start(c -> c.latencySampling(4));
        login();
        for (int i = 0; i < 4_000; i++) {
            server.send(new Echo("e" + i));
        }
        assertThat(server.replies()).hasSize(4_000);

        assertThat(count("switchboard.frames.received", "command", "Echo")).isEqualTo(4_000);
        // Binomial(4000, 1/4): mean 1000, standard deviation 27; these bounds are 10 deviations away.
        assertThat(latencyCount("Echo")).isBetween(730L, 1_270L);
    }

    @Test
    void latencySamplingBelowOneIsRefused() {
        assertThatThrownBy(() -> new ServerConfig().latencySampling(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    @Test
    void packetsBeforeLoginAreAuthGateRefusals() {
        start(c -> {});
        server.send(new Echo("too early"));
        server.send(new Echo("again"));
        server.send(new Ping(1)); // anonymous: passes

        assertThat(registry.find("switchboard.auth.refused").counter().count()).isEqualTo(2);
        assertThat(count("switchboard.errors", "kind", "not-authenticated")).isEqualTo(2);
    }

    @Test
    void aMissedLoginDeadlineIsAnAuthTimeoutClose() {
        start(c -> c.authTimeout(Duration.ofSeconds(10)).readerIdleTimeout(Duration.ZERO));
        assertThat(registry.find("switchboard.connections.opened").counter().count()).isEqualTo(1);
        advance(Duration.ofSeconds(10));

        assertThat(server.channel.isOpen()).isFalse();
        assertThat(closed("auth-timeout")).isEqualTo(1);
        assertThat(closed("idle")).isZero();
        assertThat(closed("peer")).isZero();
    }

    @Test
    void silenceIsAnIdleClose() {
        start(c -> c.readerIdleTimeout(Duration.ofSeconds(15)).authTimeout(Duration.ZERO));
        advance(Duration.ofSeconds(15));

        assertThat(server.channel.isOpen()).isFalse();
        assertThat(closed("idle")).isEqualTo(1);
    }

    @Test
    void aBacklogOverTheLimitIsASlowConsumerClose() {
        start(c -> c.maxBytesAboveHighWater(100_000).readerIdleTimeout(Duration.ZERO).authTimeout(Duration.ZERO));
        server.channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1_000, 2_000));
        server.channel.write(Unpooled.wrappedBuffer(new byte[60_000]));
        server.channel.write(Unpooled.wrappedBuffer(new byte[60_000]));
        server.channel.write(Unpooled.wrappedBuffer(new byte[10]));

        assertThat(server.channel.isOpen()).isFalse();
        assertThat(closed("slow-consumer")).isEqualTo(1);
    }

    @Test
    void aFramingViolationIsAProtocolErrorClose() {
        start(c -> {});
        server.sendRaw(Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));

        assertThat(server.channel.isOpen()).isFalse();
        assertThat(closed("protocol-error")).isEqualTo(1);
    }

    @Test
    void theApplicationClosingAndThePeerClosingAreToldApart() {
        start(c -> {});
        server.send(new Bye());
        server.channel.runPendingTasks();
        assertThat(server.channel.isOpen()).isFalse();

        var second = server.connect();
        second.close(); // as when the peer goes: nothing on the server marked a reason

        assertThat(closed("application")).isEqualTo(1);
        assertThat(closed("peer")).isEqualTo(1);
        assertThat(registry.find("switchboard.connections.opened").counter().count()).isEqualTo(2);
    }

    @Test
    void theFirstReasonWins() {
        start(c -> c.readerIdleTimeout(Duration.ofSeconds(15)).authTimeout(Duration.ZERO));
        server.send(new Bye()); // marks APPLICATION, closes on the event loop
        advance(Duration.ofSeconds(15));

        assertThat(closed("application")).isEqualTo(1);
        assertThat(closed("idle")).isZero();
    }

    @Test
    void theBacklogGaugeSumsTheBytesQueuedBeyondWritability() {
        start(c -> c.maxBytesAboveHighWater(100_000).readerIdleTimeout(Duration.ZERO).authTimeout(Duration.ZERO));
        java.util.concurrent.ThreadPoolExecutor business = new java.util.concurrent.ThreadPoolExecutor(1, 1, 1,
                TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(4));
        try {
            server.metrics.watch(server.tracker::openConnections, server.group, business);
            server.channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1_000, 2_000));
            assertThat(registry.get("switchboard.outbound.backlog").gauge().value()).isZero();

            server.channel.write(Unpooled.wrappedBuffer(new byte[3_000])); // not flushed: the peer "does not read"

            // Above the low water mark, per-entry overhead included: what must drain before it is writable again.
            assertThat(registry.get("switchboard.outbound.backlog").gauge().value()).isBetween(2_000.0, 2_200.0);
            assertThat(registry.get("switchboard.connections.unwritable").gauge().value()).isEqualTo(1);
            assertThat(registry.get("switchboard.connections.open").gauge().value()).isEqualTo(1);
            assertThat(registry.get("switchboard.business.queue").gauge().value()).isZero();
            server.channel.flush();
            assertThat(registry.get("switchboard.outbound.backlog").gauge().value()).isZero();
        } finally {
            business.shutdown();
        }
    }
}
