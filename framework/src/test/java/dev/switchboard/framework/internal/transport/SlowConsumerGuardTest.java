package dev.switchboard.framework.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.framework.internal.codec.ChannelLog;
import dev.switchboard.framework.internal.transport.ChannelConnection.ReadPause;
import dev.switchboard.framework.internal.transport.SlowConsumerGuard.SlowConsumerException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The slow-consumer guard alone. Writes are not flushed, so they stay in the channel's outbound buffer as they
 * would for a peer that does not read; {@code flush()} plays the peer reading everything.
 */
class SlowConsumerGuardTest {

    private static final int LOW = 512;
    private static final int HIGH = 1024;

    private final Logger guardLog = (Logger) LoggerFactory.getLogger(SlowConsumerGuard.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ChannelConnection connection = ChannelConnection.attach(channel, null, 1, 1);

    @BeforeEach
    void capture() {
        guardLog.setLevel(Level.DEBUG);
        lines.start();
        guardLog.addAppender(lines);
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(LOW, HIGH));
    }

    @AfterEach
    void close() {
        guardLog.detachAppender(lines);
        guardLog.setLevel(null);
        channel.finishAndReleaseAll();
    }

    private void start(long maxBytesAboveHighWater) {
        channel.pipeline().addLast(PipelineNames.SLOW_CONSUMER, new SlowConsumerGuard(maxBytesAboveHighWater));
    }

    private static ByteBuf bytes(int length) {
        return Unpooled.buffer(length).writeZero(length);
    }

    /** Bytes queued, as the guard counts them (the outbound buffer adds a fixed overhead per message). */
    private long queued() {
        return channel.unsafe().outboundBuffer().totalPendingWriteBytes();
    }

    private void peerReadsEverything() {
        channel.flush();
        channel.runPendingTasks();
    }

    @Test
    void readingPausesWhileUnwritableAndResumesOnceDrained() {
        start(1 << 20);
        channel.write(bytes(HIGH / 2));
        assertThat(channel.isWritable()).isTrue();
        assertThat(channel.config().isAutoRead()).isTrue();

        channel.write(bytes(HIGH / 2));
        assertThat(channel.isWritable()).isFalse();
        assertThat(channel.config().isAutoRead()).isFalse();

        peerReadsEverything();
        assertThat(channel.isWritable()).isTrue();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.outboundMessages()).hasSize(2);
    }

    @Test
    void becomingWritableLeavesAPauseForAnotherReasonInPlace() {
        start(1 << 20);
        connection.pauseReading(ReadPause.ORDERING);
        channel.write(bytes(HIGH + 1));
        peerReadsEverything();
        assertThat(channel.isWritable()).isTrue();
        assertThat(channel.config().isAutoRead()).as("still paused for ordering").isFalse();

        connection.resumeReading(ReadPause.ORDERING);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void whenWritableWaitersRunOnceTheChannelDrains() {
        start(1 << 20);
        AtomicInteger ran = new AtomicInteger();
        channel.write(bytes(HIGH + 1));
        connection.whenWritable(ran::incrementAndGet);
        channel.runPendingTasks();
        assertThat(ran).hasValue(0);

        peerReadsEverything();
        assertThat(ran).hasValue(1);
        channel.write(bytes(HIGH + 1));
        peerReadsEverything();
        assertThat(ran).as("a waiter runs once").hasValue(1);
    }

    @Test
    void writesUpToTheLimitAboveTheHighWaterMarkAreQueuedAndOnePastItClosesTheConnection() {
        long limit = 1000;
        start(limit);
        channel.write(bytes(HIGH));
        long overhead = queued() - HIGH;
        channel.write(bytes((int) (limit - 2 * overhead)));
        assertThat(queued() - HIGH).as("exactly at the limit").isEqualTo(limit);

        ChannelFuture atTheLimit = channel.write(bytes(1));
        assertThat(atTheLimit.isDone()).as("a write finding exactly the limit queued is accepted").isFalse();
        assertThat(channel.isOpen()).isTrue();
        assertThat(lines.list).isEmpty();

        ByteBuf refused = bytes(1);
        ChannelFuture overTheLimit = channel.write(refused);
        assertThat(overTheLimit.cause()).isInstanceOf(SlowConsumerException.class)
                .hasMessage("slow consumer: more than 1000 bytes queued above the high water mark");
        assertThat(refused.refCnt()).as("the refused frame is released").isZero();
        assertThat(channel.isOpen()).isFalse();
        assertThat(atTheLimit.isSuccess()).as("the queued writes fail with the connection").isFalse();
        assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.INFO);
        assertThat(lines.list.get(0).getFormattedMessage()).isEqualTo("[" + connection.id()
                + "] closing: slow consumer, more than 1000 bytes queued above the high water mark");
    }

    @Test
    void aWritableChannelIsNeverRefusedAndALimitOfZeroRefusesTheFirstWriteOnceUnwritable() {
        start(0);
        for (int i = 0; i < 3; i++) {
            channel.write(bytes(200)); // 3 x (200 + the overhead) stay under 1024
        }
        assertThat(channel.isWritable()).isTrue();
        assertThat(channel.isOpen()).isTrue();
        channel.write(bytes(200)); // crosses the high water mark: it was writable when this one came
        assertThat(channel.isWritable()).isFalse();
        assertThat(channel.isOpen()).isTrue();

        assertThat(channel.write(bytes(1)).cause()).isInstanceOf(SlowConsumerException.class);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void whileTheCloseIsUnderWayEveryFurtherWriteIsRefusedButCloseIsAskedAndLoggedOnce() {
        AtomicInteger closes = new AtomicInteger();
        channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
                closes.incrementAndGet(); // a close that takes a while, as through TLS: not passed on here
            }
        });
        start(0);
        channel.write(bytes(HIGH + 1));

        ByteBuf first = bytes(1);
        ByteBuf second = bytes(1);
        ByteBuf third = bytes(1);
        assertThat(channel.write(first).cause()).isInstanceOf(SlowConsumerException.class);
        assertThat(channel.write(second).cause()).isInstanceOf(SlowConsumerException.class);
        assertThat(channel.write(third).cause()).isInstanceOf(SlowConsumerException.class);
        assertThat(first.refCnt() + second.refCnt() + third.refCnt()).isZero();
        assertThat(closes).hasValue(1);
        assertThat(lines.list).hasSize(1);
        channel.pipeline().removeFirst();
    }

    @Test
    void itsReportIsAtDebugIfTheConnectionWasReportedAlready() {
        start(0);
        ChannelLog.report((Logger) LoggerFactory.getLogger(SlowConsumerGuardTest.class), channel,
                "an earlier report");
        channel.write(bytes(HIGH + 1));
        channel.write(bytes(1));
        assertThat(channel.isOpen()).isFalse();
        assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.DEBUG);
    }

    @Test
    void aNegativeLimitIsRefusedNamingIt() {
        assertThatThrownBy(() -> new SlowConsumerGuard(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBytesAboveHighWater < 0: -1");
    }
}
