package dev.switchboard.bench.workload;

import dev.switchboard.bench.measure.LatencyRecorder;
import dev.switchboard.bench.measure.MessageStamp;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Totals every participant of a messaging run adds to, from any event loop, and that the run reads while it runs
 * to know when to stop draining. Per-sender and per-receiver detail stays with {@link Sender} and
 * {@link Participant}.
 *
 * <p>Latency is "stamp to delivery" for direct messages and "stamp to the last member's delivery" when a message
 * goes to {@code fanout} receivers: arrivals are counted per message and the latency recorded when the count
 * reaches the fan-out.
 */
final class RunCounters {

    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LatencyRecorder latency = new LatencyRecorder();
    private final int fanout;
    private final ConcurrentHashMap<Long, AtomicInteger> arrivals = new ConcurrentHashMap<>();

    RunCounters(int fanout) {
        if (fanout < 1) {
            throw new IllegalArgumentException("fanout < 1: " + fanout);
        }
        this.fanout = fanout;
    }

    int fanout() {
        return fanout;
    }

    /** A first delivery of a message to one receiver. */
    void arrived(MessageStamp stamp, long nowNanos) {
        delivered.increment();
        if (fanout == 1) {
            latency.record(stamp.nanos(), nowNanos);
            return;
        }
        long key = ((long) stamp.sender() << 40) | stamp.seq();
        AtomicInteger count = arrivals.computeIfAbsent(key, k -> new AtomicInteger());
        if (count.incrementAndGet() == fanout) {
            arrivals.remove(key);
            latency.record(stamp.nanos(), nowNanos);
        }
    }

    /** Whether every sent message is answered and every acknowledged one delivered to all its receivers. */
    boolean settled() {
        long ackedNow = acked.sum();
        return sent.sum() == ackedNow + refused.sum() && delivered.sum() >= ackedNow * fanout;
    }
}
