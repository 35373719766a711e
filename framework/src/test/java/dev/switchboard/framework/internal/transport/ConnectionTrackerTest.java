package dev.switchboard.framework.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.framework.Connection;
import dev.switchboard.framework.ConnectionListener;
import dev.switchboard.framework.testing.EmbeddedChannels;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One tracker shared by several {@link EmbeddedChannel}s, as one server's tracker is by its connections; the
 * channels come from a given source address, and the source limits run on a fake clock.
 */
class ConnectionTrackerTest {

    private static final InetAddress A = address("10.0.0.1");
    private static final InetAddress B = address("10.0.0.2");

    private final Logger trackerLog = (Logger) LoggerFactory.getLogger(ConnectionTracker.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final ChannelGroup group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ConnectionListener recording = new ConnectionListener() {
        @Override
        public void opened(Connection connection) {
            events.add("opened " + connection.id());
        }

        @Override
        public void closed(Connection connection) {
            events.add("closed " + connection.id());
        }
    };
    private ConnectionTracker tracker;
    private SourceLimits sources;

    @BeforeEach
    void capture() {
        lines.start();
        trackerLog.addAppender(lines);
    }

    @AfterEach
    void close() {
        trackerLog.detachAppender(lines);
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private void start(int maxConnections, SourceLimits.Settings perSource, ConnectionListener... listeners) {
        sources = new SourceLimits(perSource, nanos::get);
        tracker = new ConnectionTracker(group, maxConnections, sources, List.of(listeners));
    }

    /** A new connection from {@code source} (null: an embedded channel's own, non-IP address). */
    private EmbeddedChannel connect(InetAddress source) {
        EmbeddedChannel channel = EmbeddedChannels.from(source == null ? null : new InetSocketAddress(source, 40_000),
                new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelConnection.attach(ch, null, 1, 1);
                        ch.pipeline().addLast(PipelineNames.TRACKER, tracker);
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                events.add("active " + ctx.channel().id().asShortText());
                            }
                        });
                    }
                });
        channels.add(channel);
        return channel;
    }

    /** The channels the tracker keeps for shutdown. */
    private List<Channel> kept() {
        return List.copyOf(group);
    }

    private static String id(Channel channel) {
        return channel.id().asShortText();
    }

    @Test
    void openConnectionsAreCountedKeptAndToldOnceEach() {
        start(10, SourceLimits.Settings.off(), recording);
        EmbeddedChannel first = connect(A);
        EmbeddedChannel second = connect(B);
        assertThat(events).containsExactly("opened " + id(first), "active " + id(first), "opened " + id(second),
                "active " + id(second));
        assertThat(tracker.openConnections()).isEqualTo(2);
        assertThat(kept()).containsExactlyInAnyOrder(first, second);

        first.close();
        first.close();
        assertThat(events).endsWith("closed " + id(first)).hasSize(5);
        assertThat(tracker.openConnections()).isEqualTo(1);
        assertThat(kept()).containsExactly(second);
        assertThat(tracker.refusedConnections()).isZero();
    }

    @Test
    void aConnectionOverTheServersLimitIsClosedAtOnceUntoldAndUncounted() {
        start(2, SourceLimits.Settings.off(), recording);
        EmbeddedChannel first = connect(A);
        connect(B);
        events.clear();

        EmbeddedChannel third = connect(B);
        assertThat(third.isOpen()).isFalse();
        assertThat(events).as("no listener and no later handler hears of it, not even of its close").isEmpty();
        assertThat(kept()).doesNotContain(third);
        assertThat(tracker.openConnections()).isEqualTo(2);
        assertThat(tracker.refusedConnections()).isEqualTo(1);

        first.close();
        EmbeddedChannel fourth = connect(A);
        assertThat(fourth.isOpen()).as("the closed connection's place is free again").isTrue();
        assertThat(tracker.openConnections()).isEqualTo(2);
    }

    @Test
    void aSourceMayKeepOnlyItsLimitOpenAndGetsItsPlaceBackOnClose() {
        start(10, new SourceLimits.Settings(1, 0, 0), recording);
        EmbeddedChannel fromA = connect(A);
        assertThat(connect(A).isOpen()).isFalse();
        assertThat(connect(B).isOpen()).as("another source is not affected").isTrue();
        assertThat(sources.openFrom(A)).isEqualTo(1);
        assertThat(tracker.openConnections()).as("the refused one gave its place back").isEqualTo(2);

        fromA.close();
        assertThat(sources.openFrom(A)).isZero();
        assertThat(connect(A).isOpen()).isTrue();
        assertThat(tracker.refusedConnections()).isEqualTo(1);
    }

    @Test
    void aConnectionRefusedByTheSourceLimitLeavesTheServersPlaceFree() {
        start(2, new SourceLimits.Settings(1, 0, 0));
        connect(A);
        assertThat(connect(A).isOpen()).isFalse();
        assertThat(connect(B).isOpen()).as("the second server place was not taken by the refused one").isTrue();
    }

    @Test
    void aConnectionRefusedByTheServersLimitTakesNoPlaceFromItsSource() {
        start(1, new SourceLimits.Settings(5, 0, 0));
        EmbeddedChannel first = connect(A);
        assertThat(connect(A).isOpen()).isFalse();
        assertThat(sources.openFrom(A)).isEqualTo(1);
        first.close();
        assertThat(sources.openFrom(A)).isZero();
    }

    @Test
    void aSourceConnectingTooFastIsRefusedUntilItsBucketRefills() {
        start(10, new SourceLimits.Settings(0, 1, 2));
        EmbeddedChannel first = connect(A);
        connect(A);
        assertThat(connect(A).isOpen()).isFalse();
        first.close();
        assertThat(connect(A).isOpen()).as("closing does not give back a new-connection token").isFalse();
        assertThat(connect(B).isOpen()).isTrue();

        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(connect(A).isOpen()).isTrue();
        assertThat(tracker.refusedConnections()).isEqualTo(2);
    }

    @Test
    void connectionsWithoutAnIpAddressAreNotLimitedPerSource() {
        start(10, new SourceLimits.Settings(1, 1, 1));
        assertThat(connect(null).isOpen()).isTrue();
        assertThat(connect(null).isOpen()).isTrue();
        assertThat(tracker.openConnections()).isEqualTo(2);
    }

    @Test
    void aFailingListenerDoesNotKeepTheOthersOrTheConnectionFromHearingOfIt() {
        ConnectionListener failing = new ConnectionListener() {
            @Override
            public void opened(Connection connection) {
                throw new IllegalStateException("open failed");
            }

            @Override
            public void closed(Connection connection) {
                throw new IllegalStateException("close failed");
            }
        };
        start(10, SourceLimits.Settings.off(), failing, recording);
        EmbeddedChannel channel = connect(A);
        assertThat(channel.isOpen()).isTrue();
        assertThat(events).containsExactly("opened " + id(channel), "active " + id(channel));
        channel.close();
        assertThat(events).endsWith("closed " + id(channel));
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).allMatch(line -> line.contains("failed"))
                .hasSize(2);
    }

    @Test
    void aFloodOfRefusalsIsLoggedOnce() {
        start(1, SourceLimits.Settings.off());
        connect(A);
        EmbeddedChannel refused = connect(A);
        for (int i = 0; i < 5; i++) {
            connect(B);
        }
        assertThat(tracker.refusedConnections()).isEqualTo(6);
        assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN);
        assertThat(lines.list.get(0).getFormattedMessage())
                .isEqualTo("[" + id(refused) + "] refused: connection limit 1 reached (1 refused so far)");
    }
}
