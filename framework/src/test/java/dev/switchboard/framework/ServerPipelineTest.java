package dev.switchboard.framework;

import static dev.switchboard.framework.internal.transport.PipelineNames.AUTH;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.framework.fixtures.echo.Packets.Echo;
import dev.switchboard.framework.fixtures.echo.Packets.Login;
import dev.switchboard.framework.fixtures.echo.Packets.LoginOk;
import dev.switchboard.framework.fixtures.echo.Packets.Logout;
import dev.switchboard.framework.fixtures.echo.Packets.Oops;
import dev.switchboard.framework.fixtures.echo.Packets.Ping;
import dev.switchboard.framework.fixtures.echo.Packets.Pong;
import dev.switchboard.framework.internal.transport.ChannelConnection;
import dev.switchboard.framework.internal.transport.ErrorLogger;
import dev.switchboard.framework.internal.transport.PipelineNames;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The server pipeline's shape and its time-driven guards (auth gate, idle, slow consumer), on fake time. */
class ServerPipelineTest {

    private EmbeddedServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private void start(java.util.function.Consumer<ServerConfig> config) {
        server = new EmbeddedServer(config);
    }

    private void advance(Duration time) {
        server.channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        server.channel.runScheduledPendingTasks();
        server.channel.runPendingTasks();
    }

    private void login() {
        server.send(new Login("ann"));
        server.runBusiness();
        assertThat(server.replies()).containsExactly(new LoginOk("ann"));
    }

    @Test
    void handlersAreInTheDocumentedOrder() {
        start(c -> {});
        assertThat(server.handlerNames()).containsExactly(PipelineNames.FLUSH, PipelineNames.TRACKER,
                PipelineNames.SLOW_CONSUMER, PipelineNames.READ_GATE, PipelineNames.FRAME_DECODER,
                PipelineNames.FRAME_RATE, PipelineNames.IDLE, PipelineNames.IDLE_ACTION, PipelineNames.PACKET_DECODER,
                PipelineNames.PACKET_ENCODER, PipelineNames.ORDER, AUTH, PipelineNames.DISPATCH, PipelineNames.ERRORS);
    }

    @Test
    void withTlsTheFirstByteCheckAndTheSslHandlerComeFirst() {
        start(c -> c.tls(ServerTls.selfSigned()));
        assertThat(server.handlerNames()).containsExactly(PipelineNames.TLS_CHECK, PipelineNames.TLS,
                PipelineNames.FLUSH, PipelineNames.TRACKER, PipelineNames.SLOW_CONSUMER, PipelineNames.READ_GATE,
                PipelineNames.FRAME_DECODER, PipelineNames.FRAME_RATE, PipelineNames.IDLE, PipelineNames.IDLE_ACTION,
                PipelineNames.PACKET_DECODER, PipelineNames.PACKET_ENCODER, PipelineNames.ORDER, AUTH,
                PipelineNames.DISPATCH, PipelineNames.ERRORS);
        assertThat(server.channel.pipeline().get(PipelineNames.TLS)).isInstanceOf(SslHandler.class);
    }

    @Test
    void aHandshakeMustFinishWithinTenSecondsEvenWithoutAuthOrIdleTimeouts() {
        Logger errors = (Logger) LoggerFactory.getLogger(ErrorLogger.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        errors.addAppender(logged);
        try {
            start(c -> c.tls(ServerTls.selfSigned()).authTimeout(Duration.ZERO).readerIdleTimeout(Duration.ZERO));
            advance(Duration.ofSeconds(9));
            assertThat(server.channel.isOpen()).isTrue();
            advance(Duration.ofSeconds(1));
            assertThat(server.channel.isOpen()).isFalse();
            assertThat(logged.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.INFO);
                assertThat(event.getFormattedMessage()).endsWith("closing: TLS failed: handshake timed out after"
                        + " 10000ms");
            });
        } finally {
            errors.detachAppender(logged);
        }
    }

    @Test
    void theHandshakeTimeoutIsTheAuthTimeoutUpToTenSeconds() {
        assertThat(new ServerConfig().authTimeout(Duration.ofSeconds(3)).handshakeTimeout())
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(new ServerConfig().authTimeout(Duration.ofSeconds(30)).handshakeTimeout())
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(new ServerConfig().authTimeout(Duration.ZERO).handshakeTimeout())
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theAuthGateLeavesOnAuthenticateAndComesBackOnLogout() {
        start(c -> {});
        assertThat(server.handlerNames()).contains(AUTH);

        login();
        assertThat(server.handlerNames()).doesNotContain(AUTH);
        assertThat(server.connection().principal()).contains("ann");

        server.send(new Logout());
        assertThat(server.handlerNames()).contains(AUTH);
        assertThat(server.handlerNames().indexOf(AUTH))
                .isEqualTo(server.handlerNames().indexOf(PipelineNames.DISPATCH) - 1);
        assertThat(server.connection().isAuthenticated()).isFalse();

        server.send(new Echo("after logout"));
        assertThat(server.replies()).containsExactly(new Oops(5, "NOT_AUTHENTICATED"));
    }

    @Test
    void unauthenticatedCommandsGoToTheErrorHandlerAndAnonymousOnesAreDispatched() {
        start(c -> {});
        server.send(new Echo("too early"));
        server.send(new Ping(1));

        assertThat(server.replies()).containsExactly(new Oops(5, "NOT_AUTHENTICATED"), new Pong(1));
        assertThat(server.probe.calls).containsExactly("ping:1");
        assertThat(server.probe.failures).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Failure.Kind.NOT_AUTHENTICATED);
            assertThat(f.packet()).isEqualTo(new Echo("too early"));
        });
        assertThat(server.channel.isOpen()).isTrue();
    }

    @Test
    void theAuthTimeoutClosesAndHeartbeatsDoNotExtendIt() {
        start(c -> c.authTimeout(Duration.ofSeconds(10)).readerIdleTimeout(Duration.ZERO));
        for (int second = 1; second < 10; second++) {
            advance(Duration.ofSeconds(1));
            server.send(new Ping(second));
            assertThat(server.channel.isOpen()).as("after %d s", second).isTrue();
        }
        advance(Duration.ofSeconds(1));
        assertThat(server.channel.isOpen()).isFalse();
    }

    @Test
    void anAuthenticatedConnectionOutlivesTheAuthTimeout() {
        start(c -> c.authTimeout(Duration.ofSeconds(10)).readerIdleTimeout(Duration.ZERO));
        login();
        advance(Duration.ofSeconds(60));
        assertThat(server.channel.isOpen()).isTrue();
    }

    @Test
    void logoutStartsANewAuthTimeout() {
        start(c -> c.authTimeout(Duration.ofSeconds(10)).readerIdleTimeout(Duration.ZERO));
        login();
        advance(Duration.ofSeconds(30));
        server.send(new Logout());
        advance(Duration.ofSeconds(9));
        assertThat(server.channel.isOpen()).isTrue();
        advance(Duration.ofSeconds(1));
        assertThat(server.channel.isOpen()).isFalse();
    }

    @Test
    void aZeroAuthTimeoutNeverCloses() {
        start(c -> c.authTimeout(Duration.ZERO).readerIdleTimeout(Duration.ZERO));
        advance(Duration.ofHours(1));
        assertThat(server.channel.isOpen()).isTrue();
    }

    @Test
    void readerIdleClosesAndEveryReadPostponesIt() {
        start(c -> c.readerIdleTimeout(Duration.ofSeconds(15)).authTimeout(Duration.ZERO));
        advance(Duration.ofSeconds(10));
        server.send(new Ping(1));
        advance(Duration.ofSeconds(10));
        assertThat(server.channel.isOpen()).isTrue();
        advance(Duration.ofSeconds(6));
        assertThat(server.channel.isOpen()).isFalse();
    }

    @Test
    void aFrameTrickledByteByByteDoesNotCountAsActivity() {
        start(c -> c.readerIdleTimeout(Duration.ofSeconds(15)).authTimeout(Duration.ZERO));
        // The start of a frame that announces a large body, then a byte every few seconds.
        byte[] header = {0x12, 0x34, 0x56, 0x78, 1, 1, 1, 0, 0, 0x03, (byte) 0xE8}; // a 1,000-byte body follows
        server.channel.writeInbound(Unpooled.wrappedBuffer(header));
        for (int i = 0; i < 3; i++) {
            advance(Duration.ofSeconds(4));
            server.channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'x'}));
        }
        assertThat(server.channel.isOpen()).as("12 s of trickling").isTrue();
        advance(Duration.ofSeconds(4));
        assertThat(server.channel.isOpen()).as("16 s without a complete frame").isFalse();
    }

    @Test
    void completeFramesKeepAConnectionAlive() {
        start(c -> c.readerIdleTimeout(Duration.ofSeconds(15)).authTimeout(Duration.ZERO));
        for (int i = 0; i < 4; i++) {
            advance(Duration.ofSeconds(10));
            server.send(new Ping(i));
        }
        assertThat(server.channel.isOpen()).isTrue();
    }

    @Test
    void aZeroReaderIdleTimeoutLeavesTheIdleHandlersOut() {
        start(c -> c.readerIdleTimeout(Duration.ZERO));
        assertThat(server.handlerNames()).doesNotContain(PipelineNames.IDLE, PipelineNames.IDLE_ACTION);
    }

    /** Queues bytes without flushing them: the outbound buffer grows as if the peer did not read. */
    private void backlog(int bytes) {
        server.channel.write(Unpooled.wrappedBuffer(new byte[bytes]));
    }

    private void slowConsumerServer() {
        start(c -> c.maxBytesAboveHighWater(100_000).readerIdleTimeout(Duration.ZERO)
                .authTimeout(Duration.ZERO));
        server.channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1_000, 2_000));
    }

    @Test
    void anUnwritableConnectionStopsReadingAndResumesWhenWritable() {
        slowConsumerServer();
        backlog(3_000);
        assertThat(server.channel.isWritable()).isFalse();
        assertThat(server.channel.config().isAutoRead()).isFalse();

        server.channel.flush();
        assertThat(server.channel.isWritable()).isTrue();
        assertThat(server.channel.config().isAutoRead()).isTrue();
        advance(Duration.ofSeconds(60));
        assertThat(server.channel.isOpen()).isTrue();
    }

    @Test
    void aWriteBeyondTheLimitAboveTheHighWaterMarkIsRefusedAndCloses() {
        slowConsumerServer();
        backlog(60_000);
        backlog(60_000); // accepted: only 58,000 bytes were above the high water mark when it was written
        assertThat(server.channel.isOpen()).isTrue();

        ChannelFuture refused = server.channel.write(Unpooled.wrappedBuffer(new byte[10]));
        assertThat(refused.isSuccess()).isFalse();
        assertThat(refused.cause()).hasMessageContaining("slow consumer");
        assertThat(server.channel.isOpen()).isFalse();
    }

    @Test
    void whenWritableWaitsForTheBufferToDrain() {
        slowConsumerServer();
        backlog(3_000);
        List<String> ran = new ArrayList<>();
        ChannelConnection.of(server.channel).whenWritable(() -> ran.add("resumed"));
        assertThat(ran).isEmpty();

        server.channel.flush();
        assertThat(ran).containsExactly("resumed");
        ChannelConnection.of(server.channel).whenWritable(() -> ran.add("at once"));
        assertThat(ran).containsExactly("resumed", "at once");
    }

    @Test
    void aBacklogUnderTheLimitOnlyPausesReading() {
        slowConsumerServer();
        backlog(50_000);
        advance(Duration.ofSeconds(60));
        assertThat(server.channel.isOpen()).isTrue();
        assertThat(server.channel.config().isAutoRead()).isFalse();
    }

    @Test
    void readingStaysPausedWhileAnyReasonRemains() {
        slowConsumerServer();
        server.send(new Login("ann")); // blocking: holds the order
        for (int i = 0; i < 256; i++) {
            server.send(new Ping(i));
        }
        assertThat(server.channel.config().isAutoRead()).as("paused for ordering").isFalse();
        backlog(3_000);
        server.channel.flush();
        assertThat(server.channel.config().isAutoRead()).as("still paused for ordering").isFalse();
        server.runBusiness();
        assertThat(server.channel.config().isAutoRead()).isTrue();
    }

    @Test
    void theConnectionLimitClosesExtraConnectionsAndCountsCloses() {
        start(c -> c.maxConnections(2));
        EmbeddedChannel second = server.connect();
        EmbeddedChannel third = server.connect();

        assertThat(third.isOpen()).isFalse();
        assertThat(server.tracker.openConnections()).isEqualTo(2);
        assertThat(server.group.size()).isEqualTo(2);

        second.close();
        assertThat(server.tracker.openConnections()).isEqualTo(1);
        EmbeddedChannel fourth = server.connect();
        assertThat(fourth.isOpen()).isTrue();
        assertThat(server.tracker.openConnections()).isEqualTo(2);

        String first = server.connection().id();
        List<String> expected = List.of("opened " + first, "opened " + second.id().asShortText(),
                "closed " + second.id().asShortText(), "opened " + fourth.id().asShortText());
        assertThat(server.events).containsExactlyElementsOf(expected);
    }
}
