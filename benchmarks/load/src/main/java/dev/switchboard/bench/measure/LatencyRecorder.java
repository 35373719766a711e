package dev.switchboard.bench.measure;

import org.HdrHistogram.Recorder;

/**
 * Records latencies from many threads without locks (HdrHistogram's {@link Recorder}), keeping only those of
 * messages stamped at or after the start of measurement, so warm-up traffic is left out but messages still in
 * flight when sending stops are counted. Nothing is kept until {@link #measureFrom} is called.
 */
public final class LatencyRecorder {

    private final Recorder recorder = new Recorder(3);
    private volatile boolean armed;
    private volatile long measureFromNanos;

    /** Keeps latencies of messages stamped at or after this {@code System.nanoTime()}. Any thread. */
    public void measureFrom(long nanos) {
        measureFromNanos = nanos;
        armed = true;
    }

    /** Records {@code nowNanos - stampNanos} if the stamp falls in the measurement. Any thread. */
    public void record(long stampNanos, long nowNanos) {
        if (armed && stampNanos - measureFromNanos >= 0) {
            recorder.recordValue(Math.max(1, (nowNanos - stampNanos) / 1000));
        }
    }

    /** What was recorded so far; resets the recorder. */
    public LatencySummary drain() {
        return LatencySummary.of(recorder.getIntervalHistogram());
    }
}
