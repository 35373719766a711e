package dev.switchboard.framework.internal.metrics;

import dev.switchboard.framework.internal.codec.FrameCounter;

/**
 * The frame counts of one channel, held as runs of one command and added to the server's counters when a run ends
 * or on {@link #publish()} (by the frame decoder after each socket read, by the byte meter on each flush to the
 * socket): under load a read brings many frames of one command and a flush writes many, so a frame costs a
 * comparison and an increment of a plain field, and the shared counters see one addition per run. Event loop only.
 */
public final class FrameTally implements FrameCounter {

    private final ServerMetrics metrics;
    private int receivedCode;
    private int receivedRun;
    private int sentCode;
    private int sentRun;

    public FrameTally(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void frameReceived(int code) {
        if (receivedRun > 0 && code != receivedCode) {
            publishReceived();
        }
        receivedCode = code;
        receivedRun++;
    }

    @Override
    public void frameSent(int code) {
        if (sentRun > 0 && code != sentCode) {
            publishSent();
        }
        sentCode = code;
        sentRun++;
    }

    @Override
    public void publish() {
        publishReceived();
        publishSent();
    }

    private void publishReceived() {
        if (receivedRun > 0) {
            metrics.framesReceived(receivedCode, receivedRun);
            receivedRun = 0;
        }
    }

    private void publishSent() {
        if (sentRun > 0) {
            metrics.framesSent(sentCode, sentRun);
            sentRun = 0;
        }
    }
}
