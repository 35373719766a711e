package dev.switchboard.framework.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameRateShaperTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void start(int perSecond, int burst) {
        ChannelConnection.attach(channel, null, 1, 1);
        channel.pipeline().addLast(new FrameRateShaper(perSecond, burst, nanos::get));
    }

    private void advanceMillis(long millis) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void framesWithinTheBurstAreReadWithoutPause() {
        start(10, 3);
        for (int i = 0; i < 3; i++) {
            channel.writeInbound("frame " + i);
        }
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.inboundMessages()).hasSize(3);
    }

    @Test
    void aFrameOverTheRateIsStillPassedOnButReadingPausesUntilATokenIsBack() {
        start(10, 2);
        channel.writeInbound("one", "two", "three");
        assertThat(channel.inboundMessages()).as("nothing dropped").hasSize(3);
        assertThat(channel.config().isAutoRead()).isFalse();

        advanceMillis(150);
        assertThat(channel.config().isAutoRead()).as("the third frame is paid back first").isFalse();
        advanceMillis(60);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void framesOfTheSameReadAfterThePauseArePaidForBeforeReadingResumes() {
        start(10, 2);
        channel.writeInbound("one", "two", "three"); // the third goes over: a wait of 200 ms is set
        channel.writeInbound("four", "five"); // the rest of that read, already read: 400 ms in all
        assertThat(channel.inboundMessages()).hasSize(5);

        advanceMillis(210);
        assertThat(channel.config().isAutoRead()).as("still paying for four and five").isFalse();
        advanceMillis(200);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void aSustainedFloodIsReadAtTheRate() {
        start(100, 1);
        int passedWhileReading = 0;
        for (int millis = 0; millis < 1_000; millis++) {
            if (channel.config().isAutoRead()) {
                channel.writeInbound("frame");
                passedWhileReading++;
            }
            advanceMillis(1);
        }
        assertThat(passedWhileReading).isBetween(95, 105);
    }
}
