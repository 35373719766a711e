package dev.switchboard.framework.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server's idle action, fed idle events directly and by an {@link IdleStateHandler} on frozen fake time. */
class IdleCloserTest {

    private final IdleCloser closer = new IdleCloser();
    private final List<Object> passedOn = new ArrayList<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedChannel channel(IdleStateHandler idle) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        if (idle != null) {
            channel.pipeline().addLast(PipelineNames.IDLE, idle);
        }
        channel.pipeline().addLast(PipelineNames.IDLE_ACTION, closer);
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                passedOn.add(evt);
            }
        });
        channels.add(channel);
        return channel;
    }

    private static void advance(EmbeddedChannel channel, long seconds, long nanos) {
        channel.advanceTimeBy(TimeUnit.SECONDS.toNanos(seconds) + nanos, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void readerIdleClosesTheConnectionFirstTimeOrNot() {
        EmbeddedChannel first = channel(null);
        EmbeddedChannel second = channel(null);
        first.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        second.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat(first.isOpen()).isFalse();
        assertThat(second.isOpen()).isFalse();
    }

    @Test
    void writerAndAllIdleAndOtherEventsArePassedOnAndKeepTheConnectionOpen() {
        EmbeddedChannel channel = channel(null);
        Object custom = "some event";
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        channel.pipeline().fireUserEventTriggered(custom);
        assertThat(channel.isOpen()).isTrue();
        assertThat(passedOn).containsExactly(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT,
                IdleStateEvent.ALL_IDLE_STATE_EVENT, custom);
    }

    @Test
    void oneSharedCloserClosesOnlyTheIdleConnection() {
        EmbeddedChannel idle = channel(new IdleStateHandler(30, 0, 0));
        EmbeddedChannel busy = channel(new IdleStateHandler(30, 0, 0));
        for (int i = 0; i < 3; i++) {
            advance(idle, 20, 0);
            advance(busy, 20, 0);
            busy.writeInbound("frame " + i);
        }
        assertThat(idle.isOpen()).isFalse();
        assertThat(busy.isOpen()).isTrue();
        assertThat(busy.inboundMessages()).hasSize(3);
    }

    @Test
    void aSilentConnectionClosesAtExactlyTheReaderIdleTimeAfterItsLastRead() {
        EmbeddedChannel channel = channel(new IdleStateHandler(30, 0, 0));
        advance(channel, 25, 0);
        channel.writeInbound("frame");
        advance(channel, 30, -1);
        assertThat(channel.isOpen()).isTrue();
        advance(channel, 0, 1);
        assertThat(channel.isOpen()).isFalse();
    }
}
