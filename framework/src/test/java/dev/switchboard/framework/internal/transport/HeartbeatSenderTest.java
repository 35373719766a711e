package dev.switchboard.framework.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.framework.internal.codec.Outbound;
import dev.switchboard.framework.fixtures.echo.Packets.Ping;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's idle action. An outbound stand-in for the packet encoder sits after it, nearer the tail, as in the
 * client pipeline: a heartbeat that did not start from the tail would never reach it.
 */
class HeartbeatSenderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ChannelConnection connection = ChannelConnection.attach(channel, null, 1, 1);
    private final List<Object> encoded = new ArrayList<>();
    private final List<Object> passedOn = new ArrayList<>();
    private final AtomicLong beats = new AtomicLong();
    private boolean failWrites;

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void start(IdleStateHandler idle, Supplier<Object> heartbeat) {
        channel.freezeTime();
        if (idle != null) {
            channel.pipeline().addLast(PipelineNames.IDLE, idle);
        }
        channel.pipeline().addLast(PipelineNames.IDLE_ACTION, new HeartbeatSender(heartbeat));
        channel.pipeline().addLast(PipelineNames.PACKET_ENCODER, new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                encoded.add(msg);
                if (failWrites) {
                    promise.setFailure(new IOException("broken pipe"));
                } else {
                    ctx.write(msg, promise);
                }
            }
        });
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                passedOn.add(evt);
            }
        });
    }

    private Object ping() {
        return new Ping(beats.incrementAndGet());
    }

    private void advanceSeconds(long seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void writerIdleSendsAFreshHeartbeatInTheConnectionsVersionAndSerializerThroughTheWholePipeline() {
        start(null, this::ping);
        connection.frameReceived(new FrameHeader(2, 3, 4, 0));
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);

        assertThat(encoded).containsExactly(new Outbound(new Ping(1), 2, 3), new Outbound(new Ping(2), 2, 3));
        assertThat(channel.outboundMessages()).as("flushed").hasSize(2);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void withoutAHeartbeatWriterIdleWritesNothing() {
        start(null, null);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        assertThat(encoded).isEmpty();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void readerIdleClosesSoThatTheClientReconnects() {
        start(null, this::ping);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertThat(channel.isOpen()).isFalse();
        assertThat(encoded).isEmpty();
    }

    @Test
    void otherEventsArePassedOn() {
        start(null, this::ping);
        channel.pipeline().fireUserEventTriggered("some event");
        assertThat(passedOn).containsExactly("some event");
        assertThat(encoded).isEmpty();
    }

    @Test
    void aHeartbeatThatCannotBeWrittenIsReportedAsAnException() {
        start(null, this::ping);
        failWrites = true;
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        assertThatThrownBy(channel::checkException).isInstanceOf(IOException.class).hasMessage("broken pipe");
    }

    @Test
    void onFakeTimeAHeartbeatGoesOutPerIntervalWithoutOtherWritesAndReadsDoNotDelayIt() {
        start(new IdleStateHandler(0, 5, 0), this::ping);
        advanceSeconds(3);
        channel.writeAndFlush(new Outbound(new Ping(100), 1, 1)); // a request: the interval starts again
        advanceSeconds(4);
        assertThat(encoded).hasSize(1);
        channel.writeInbound("a reply");
        advanceSeconds(1);
        assertThat(encoded).as("5 s after the last write, whatever was read").hasSize(2);
        advanceSeconds(5);
        assertThat(encoded).hasSize(3);
        assertThat(beats).hasValue(2);
    }
}
