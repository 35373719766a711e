package dev.switchboard.framework.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.framework.internal.transport.ChannelConnection;
import dev.switchboard.framework.internal.transport.ChannelConnection.ReadPause;
import dev.switchboard.framework.internal.transport.PipelineNames;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sequencer alone, in front of a stand-in for the dispatcher that holds it as the dispatcher does for a
 * blocking handler: a packet named {@code block…} holds, {@code reject…} holds and releases at once (a business
 * executor that refuses the work), {@code bye…} closes the connection, {@code quit…} closes its socket but
 * leaves the close's events for later, {@code feed…} makes the packet {@code late}
 * arrive at once, while the sequencer is still passing packets on (a read re-entering the pipeline).
 */
class InboundSequencerTest {

    /** Set: the socket is closed but the close's events have not run yet (an embedded channel runs them at once). */
    private boolean closedBeforeItsEvents;
    private final EmbeddedChannel channel = new EmbeddedChannel() {
        @Override
        public boolean isActive() {
            return !closedBeforeItsEvents && super.isActive();
        }
    };
    private final ChannelConnection connection = ChannelConnection.attach(channel, null, 1, 1);
    private final List<Object> seen = new ArrayList<>();
    private InboundSequencer sequencer;

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void start(int maxQueued) {
        sequencer = new InboundSequencer(maxQueued);
        channel.pipeline().addLast(PipelineNames.ORDER, sequencer);
        channel.pipeline().addLast(PipelineNames.DISPATCH, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
                String name = (String) msg;
                if (name.startsWith("block")) {
                    sequencer.hold();
                } else if (name.startsWith("reject")) {
                    sequencer.hold();
                    sequencer.release();
                } else if (name.startsWith("bye")) {
                    ctx.close();
                } else if (name.startsWith("quit")) {
                    closedBeforeItsEvents = true;
                } else if (name.startsWith("feed")) {
                    channel.pipeline().fireChannelRead("late");
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                seen.add("inactive");
            }
        });
    }

    private boolean reading() {
        return channel.config().isAutoRead();
    }

    @Test
    void packetsPassStraightThroughWhileNothingHolds() {
        start(4);
        channel.writeInbound("a", "b", "c");
        assertThat(seen).containsExactly("a", "b", "c");
        assertThat(sequencer.waiting()).isZero();
        assertThat(reading()).isTrue();
    }

    @Test
    void packetsBehindABlockingOneWaitAndFollowInOrderOnRelease() {
        start(16);
        channel.writeInbound("a", "block", "b", "c");
        channel.writeInbound("d"); // a later read
        assertThat(seen).containsExactly("a", "block");
        assertThat(sequencer.waiting()).isEqualTo(3);

        sequencer.release();
        assertThat(seen).containsExactly("a", "block", "b", "c", "d");
        assertThat(sequencer.waiting()).isZero();
        channel.writeInbound("e");
        assertThat(seen).endsWith("d", "e");
    }

    @Test
    void aReleasedPacketThatHoldsAgainStopsTheReleaseThere() {
        start(16);
        channel.writeInbound("block1", "b", "block2", "c", "d");
        sequencer.release();
        assertThat(seen).containsExactly("block1", "b", "block2");
        assertThat(sequencer.waiting()).isEqualTo(2);

        channel.writeInbound("e");
        sequencer.release();
        assertThat(seen).containsExactly("block1", "b", "block2", "c", "d", "e");
    }

    @Test
    void aPacketThatHoldsAndReleasesAtOnceKeepsTheOrder() {
        start(16);
        channel.writeInbound("block", "reject", "b", "c");
        sequencer.release();
        assertThat(seen).containsExactly("block", "reject", "b", "c");
        assertThat(sequencer.waiting()).isZero();

        channel.writeInbound("reject2", "f");
        assertThat(seen).endsWith("reject2", "f");
    }

    @Test
    void aPacketArrivingWhileReleasedOnesArePassedOnWaitsForThem() {
        start(16);
        channel.writeInbound("block", "feed", "b", "c");
        sequencer.release();
        assertThat(seen).containsExactly("block", "feed", "b", "c", "late");
    }

    @Test
    void readingPausesOnceTheBoundIsWaitingAndResumesWhenTheyAreReleased() {
        start(3);
        channel.writeInbound("block", "b", "c");
        assertThat(reading()).as("two waiting, the bound is three").isTrue();
        channel.writeInbound("d");
        assertThat(reading()).isFalse();
        channel.writeInbound("e"); // already read when reading paused: it still waits, in order
        assertThat(sequencer.waiting()).isEqualTo(4);

        sequencer.release();
        assertThat(reading()).isTrue();
        assertThat(seen).containsExactly("block", "b", "c", "d", "e");
    }

    @Test
    void aReleaseThatLeavesTheBoundWaitingKeepsReadingPaused() {
        start(2);
        channel.writeInbound("block1", "b", "block2", "c", "d");
        assertThat(reading()).isFalse();

        sequencer.release();
        assertThat(sequencer.waiting()).isEqualTo(2);
        assertThat(reading()).as("still the bound waiting").isFalse();
        sequencer.release();
        assertThat(reading()).isTrue();
    }

    @Test
    void aReleaseDoesNotLiftAnotherReasonsPause() {
        start(1);
        connection.pauseReading(ReadPause.BACKPRESSURE);
        channel.writeInbound("block", "b");
        sequencer.release();
        assertThat(seen).containsExactly("block", "b");
        assertThat(reading()).isFalse();
        connection.resumeReading(ReadPause.BACKPRESSURE);
        assertThat(reading()).isTrue();
    }

    @Test
    void onCloseWaitingPacketsAreDroppedAndALateReleaseDispatchesNothing() {
        start(16);
        channel.writeInbound("block", "b", "c");
        channel.close();
        channel.runPendingTasks();
        assertThat(sequencer.waiting()).as("no reference kept to dropped packets").isZero();
        assertThat(seen).containsExactly("block", "inactive");

        sequencer.release(); // the blocking handler finishes after the close
        assertThat(seen).containsExactly("block", "inactive");
    }

    @Test
    void aReleasedPacketThatClosesTheConnectionStopsTheRelease() {
        start(16);
        channel.writeInbound("block", "bye", "c", "d");
        sequencer.release();
        channel.runPendingTasks();
        assertThat(seen).containsExactly("block", "bye", "inactive");
        assertThat(sequencer.waiting()).isZero();
    }

    @Test
    void aReleaseStopsAtTheCloseEvenBeforeTheCloseEventsRun() {
        start(16);
        channel.writeInbound("block", "quit", "c", "d");
        sequencer.release();
        assertThat(seen).containsExactly("block", "quit");
        assertThat(sequencer.waiting()).as("not passed on to a closed connection's handlers").isEqualTo(2);

        closedBeforeItsEvents = false;
        channel.close(); // the close's events run now
        assertThat(sequencer.waiting()).isZero();
        assertThat(seen).containsExactly("block", "quit", "inactive");
    }

    @Test
    void aBoundBelowOneIsRefusedNamingIt() {
        assertThatThrownBy(() -> new InboundSequencer(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxQueued < 1: 0");
    }
}
