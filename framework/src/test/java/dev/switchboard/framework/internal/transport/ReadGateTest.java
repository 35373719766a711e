package dev.switchboard.framework.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.internal.transport.ChannelConnection.ReadPause;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The read gate alone: a read asked for by a handler above it (as Netty's WebSocket handler asks after each ping)
 * reaches the socket only while no pause holds, and resuming reads again by itself.
 */
class ReadGateTest {

    private final AtomicInteger reads = new AtomicInteger();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ChannelConnection connection = ChannelConnection.attach(channel, null, 1, 1);

    ReadGateTest() {
        channel.pipeline().addLast(new ChannelOutboundHandlerAdapter() { // the socket's side: counts reads
            @Override
            public void read(ChannelHandlerContext ctx) {
                reads.incrementAndGet();
                ctx.read();
            }
        });
        channel.pipeline().addLast(PipelineNames.READ_GATE, ReadGate.INSTANCE);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /** A read asked for above the gate, as a handler does with {@code ctx.read()}. */
    private void readAskedAbove() {
        channel.pipeline().read();
    }

    @Test
    void readsPassWhileNothingIsPaused() {
        readAskedAbove();
        readAskedAbove();
        assertThat(reads).hasValue(2);
    }

    @Test
    void readsAskedForDuringAPauseAreHeldBackUntilEveryPauseIsOver() {
        connection.pauseReading(ReadPause.RATE);
        connection.pauseReading(ReadPause.BACKPRESSURE);
        reads.set(0);
        readAskedAbove();
        readAskedAbove();
        assertThat(reads).as("paused for the rate and back-pressure").hasValue(0);

        connection.resumeReading(ReadPause.RATE);
        readAskedAbove();
        assertThat(reads).as("still paused for back-pressure").hasValue(0);
        assertThat(channel.config().isAutoRead()).isFalse();

        connection.resumeReading(ReadPause.BACKPRESSURE);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(reads).as("turning autoRead on reads").hasValue(1);
        readAskedAbove();
        assertThat(reads).hasValue(2);
    }
}
