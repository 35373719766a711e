package dev.switchboard.framework.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.framework.Failure;
import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.framework.internal.codec.Inbound;
import dev.switchboard.framework.internal.codec.PacketType;
import dev.switchboard.framework.fixtures.echo.Packets.Echo;
import dev.switchboard.framework.fixtures.echo.Packets.Login;
import dev.switchboard.framework.fixtures.echo.Packets.Ping;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The authentication gate alone, between a fake decoder (the test) and a recording stand-in for the dispatcher,
 * on an {@link EmbeddedChannel} with its fake time.
 */
class AuthGateTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final PacketType LOGIN = new PacketType(1, Login.class, true);
    private static final PacketType PING = new PacketType(3, Ping.class, true);
    private static final PacketType ECHO = new PacketType(5, Echo.class, false);

    private final Logger gateLog = (Logger) LoggerFactory.getLogger(AuthGate.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final List<Object> dispatched = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private ChannelConnection connection;

    @BeforeEach
    void capture() {
        gateLog.setLevel(Level.DEBUG);
        lines.start();
        gateLog.addAppender(lines);
    }

    @AfterEach
    void close() {
        gateLog.detachAppender(lines);
        gateLog.setLevel(null);
        channel.finishAndReleaseAll();
    }

    private void start(Duration timeout) {
        channel.freezeTime(); // only advance() moves the clock: deadlines can be checked to the nanosecond
        connection = ChannelConnection.attach(channel, () -> new AuthGate(timeout), 1, 1);
        channel.pipeline().addLast(PipelineNames.AUTH, new AuthGate(timeout));
        channel.pipeline().addLast(PipelineNames.DISPATCH, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                dispatched.add(msg);
            }
        });
    }

    private void advance(Duration time) {
        channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    private static Inbound.Decoded decoded(PacketType type, Object packet) {
        return new Inbound.Decoded(new FrameHeader(2, 1, type.code(), 7), type, packet);
    }

    private boolean gateInPipeline() {
        return channel.pipeline().get(PipelineNames.AUTH) != null;
    }

    @Test
    void anonymousCommandsPassUnchanged() {
        start(TIMEOUT);
        Inbound.Decoded login = decoded(LOGIN, new Login("ann"));
        Inbound.Decoded ping = decoded(PING, new Ping(1));
        channel.writeInbound(login, ping);
        assertThat(dispatched).containsExactly(login, ping);
    }

    @Test
    void anyOtherCommandBecomesANotAuthenticatedRejectionCarryingThePacket() {
        start(TIMEOUT);
        Echo echo = new Echo("hi");
        Inbound.Decoded request = decoded(ECHO, echo);
        channel.writeInbound(request);

        assertThat(dispatched).hasSize(1);
        Inbound.Rejected rejected = (Inbound.Rejected) dispatched.get(0);
        assertThat(rejected.header()).as("the request's header, for the reply's version and serializer")
                .isEqualTo(request.header());
        assertThat(rejected.failure()).isEqualTo(new Failure(Failure.Kind.NOT_AUTHENTICATED, 5, Echo.class, echo,
                null));
        assertThat(channel.isOpen()).as("a refused command does not close the connection").isTrue();
    }

    @Test
    void whatIsNotADecodedPacketPassesUnchanged() {
        start(TIMEOUT);
        Inbound.Rejected malformed = new Inbound.Rejected(new FrameHeader(1, 1, 5, 3),
                new Failure(Failure.Kind.MALFORMED_BODY, 5, Echo.class, null, null));
        channel.writeInbound(malformed, "something else");
        assertThat(dispatched).containsExactly(malformed, "something else");
    }

    @Test
    void theDeadlineClosesAtExactlyTheTimeoutAndLogsOneLine() {
        start(TIMEOUT);
        advance(TIMEOUT.minusNanos(1));
        assertThat(channel.isOpen()).isTrue();
        assertThat(lines.list).isEmpty();

        advance(Duration.ofNanos(1));
        assertThat(channel.isOpen()).isFalse();
        assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.INFO);
        assertThat(lines.list.get(0).getFormattedMessage())
                .isEqualTo("[" + connection.id() + "] closing: not authenticated within 10000 ms");
    }

    @Test
    void heartbeatsAndRefusedCommandsDoNotExtendTheDeadline() {
        start(TIMEOUT);
        for (int second = 1; second < 10; second++) {
            advance(Duration.ofSeconds(1));
            channel.writeInbound(decoded(PING, new Ping(second)), decoded(ECHO, new Echo("e" + second)));
        }
        advance(Duration.ofSeconds(1).minusNanos(1));
        channel.writeInbound(decoded(PING, new Ping(10)));
        assertThat(channel.isOpen()).isTrue();
        advance(Duration.ofNanos(1));
        assertThat(channel.isOpen()).as("closed 10 s after it opened, however busy").isFalse();
        assertThat(dispatched).hasSize(19);
    }

    @Test
    void authenticateRemovesTheGateAndItsDeadline() {
        start(TIMEOUT);
        advance(Duration.ofSeconds(9));
        connection.authenticate("ann");
        assertThat(gateInPipeline()).isFalse();

        advance(Duration.ofMinutes(5));
        assertThat(channel.isOpen()).isTrue();
        Inbound.Decoded echo = decoded(ECHO, new Echo("hi"));
        channel.writeInbound(echo);
        assertThat(dispatched).containsExactly(echo);
    }

    @Test
    void aGateStillInThePipelineLetsAnAuthenticatedConnectionsCommandsThroughAndDoesNotClose() {
        start(TIMEOUT);
        // As between a business thread's authenticate() and the event loop's removal of the gate.
        channel.pipeline().remove(PipelineNames.AUTH);
        connection.authenticate("ann");
        channel.pipeline().addBefore(PipelineNames.DISPATCH, PipelineNames.AUTH, new AuthGate(TIMEOUT));

        Inbound.Decoded echo = decoded(ECHO, new Echo("hi"));
        channel.writeInbound(echo);
        assertThat(dispatched).containsExactly(echo);
        advance(TIMEOUT);
        assertThat(channel.isOpen()).isTrue();
        assertThat(lines.list).isEmpty();
    }

    @Test
    void logoutPutsTheGateBackBeforeTheDispatcherWithANewDeadline() {
        start(TIMEOUT);
        advance(Duration.ofSeconds(8));
        connection.authenticate("ann");
        advance(Duration.ofSeconds(7)); // 15 s since the connection opened: past the first deadline

        connection.logout();
        assertThat(gateInPipeline()).isTrue();
        assertThat(channel.pipeline().names()).containsSubsequence(PipelineNames.AUTH, PipelineNames.DISPATCH);
        channel.writeInbound(decoded(ECHO, new Echo("hi")));
        assertThat(dispatched).singleElement().isInstanceOf(Inbound.Rejected.class);

        advance(TIMEOUT.minusNanos(1));
        assertThat(channel.isOpen()).as("the deadline runs from the logout").isTrue();
        advance(Duration.ofNanos(1));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void theFirstDeadlineDoesNotCloseAConnectionThatLoggedInAndOutBeforeIt() {
        start(TIMEOUT);
        advance(Duration.ofSeconds(1));
        connection.authenticate("ann");
        advance(Duration.ofSeconds(1));
        connection.logout();

        advance(Duration.ofSeconds(10).minusNanos(1)); // 1 ns before the logout's deadline, 2 s past the first
        assertThat(channel.isOpen()).as("the first gate's deadline went with it").isTrue();
        advance(Duration.ofNanos(1));
        assertThat(channel.isOpen()).isFalse();
        assertThat(lines.list).hasSize(1);
    }

    @Test
    void loggingOutTwiceAddsOneGate() {
        start(TIMEOUT);
        connection.authenticate("ann");
        connection.logout();
        connection.logout();
        assertThat(channel.pipeline().toMap().values()).filteredOn(AuthGate.class::isInstance).hasSize(1);
    }

    @Test
    void aZeroOrNegativeTimeoutNeverCloses() {
        start(Duration.ZERO);
        advance(Duration.ofDays(1));
        assertThat(channel.isOpen()).isTrue();
        channel.pipeline().replace(PipelineNames.AUTH, PipelineNames.AUTH, new AuthGate(Duration.ofSeconds(-1)));
        advance(Duration.ofDays(1));
        assertThat(channel.isOpen()).isTrue();
        channel.writeInbound(decoded(ECHO, new Echo("hi")));
        assertThat(dispatched).as("the gate still refuses").singleElement().isInstanceOf(Inbound.Rejected.class);
    }

    @Test
    void aConnectionClosedBeforeTheDeadlineLogsNothing() {
        start(TIMEOUT);
        channel.close();
        advance(TIMEOUT);
        assertThat(lines.list).isEmpty();
    }
}
