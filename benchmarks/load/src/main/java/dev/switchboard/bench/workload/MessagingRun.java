package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.BenchClient;
import dev.switchboard.bench.measure.LatencySummary;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives logged-in participants through warm-up, measurement, stop and drain, then closes them and adds up what
 * they saw. The timing runs on the calling thread; all traffic runs on the clients' event loops.
 */
final class MessagingRun {

    private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    private MessagingRun() {}

    /** What the workload set up, for the result's description. */
    record Shape(String workload, int window, double rateLimit, int messageSize) {}

    static MessagingResult execute(Shape shape, RunPlan plan, RunCounters counters, List<Participant> participants)
            throws Exception {
        List<Participant> senders = participants.stream().filter(p -> p.sender() != null).toList();
        long start = System.nanoTime();
        long measureFrom = start + plan.warmup().toNanos();
        long measureUntil = measureFrom + plan.duration().toNanos();
        counters.latency.measureFrom(measureFrom);
        for (Participant p : senders) {
            p.client().execute(() -> p.sender().start(start));
        }

        sleepUntil(measureFrom);
        for (Participant p : senders) {
            p.client().execute(() -> p.sender().restartSchedule(measureFrom));
        }
        long deliveredBefore = counters.delivered.sum();
        long ackedBefore = counters.acked.sum();
        long measuredFrom = System.nanoTime();
        sleepUntil(measureUntil);
        long deliveredAfter = counters.delivered.sum();
        long ackedAfter = counters.acked.sum();
        double measuredSeconds = (System.nanoTime() - measuredFrom) / 1e9;
        stopAll(senders);

        long drainUntil = System.nanoTime() + plan.drain().toNanos();
        while (!counters.settled() && System.nanoTime() - drainUntil < 0) {
            LockSupport.parkNanos(DRAIN_POLL_NANOS);
        }
        closeAll(participants);

        LatencySummary latency = counters.latency.drain();
        return new MessagingResult(shape.workload(), participants.size(), senders.size(), counters.fanout(),
                shape.window(), shape.rateLimit(), shape.messageSize(), measuredSeconds,
                (ackedAfter - ackedBefore) / measuredSeconds, (deliveredAfter - deliveredBefore) / measuredSeconds,
                latency, count(counters, participants));
    }

    private static void stopAll(List<Participant> senders) throws Exception {
        List<CompletableFuture<Void>> stopped = new ArrayList<>();
        for (Participant p : senders) {
            stopped.add(CompletableFuture.runAsync(p.sender()::stop, p.client().eventLoop()));
        }
        CompletableFuture.allOf(stopped.toArray(CompletableFuture[]::new)).get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Closes every client and waits for it: after that no callback runs, and the close futures make every counter
     * written on the event loops visible here.
     */
    static void closeAll(List<Participant> participants) throws Exception {
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        for (Participant p : participants) {
            closed.add(p.client().close());
        }
        try {
            CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new))
                    .get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("clients did not close within " + CLOSE_TIMEOUT_SECONDS + " s", e);
        }
    }

    private static DeliveryCounts count(RunCounters counters, List<Participant> participants) {
        long sent = 0, acked = counters.acked.sum(), refused = 0, lost = 0, duplicates = 0, outOfOrder = 0;
        long seqViolations = 0, foreign = 0, otherErrors = 0, closedByPeer = 0;
        String firstRefusal = null;
        for (Participant p : participants) {
            if (p.sender() != null) {
                sent += p.sender().sent();
                refused += p.sender().refused();
                otherErrors += p.sender().unmatchedAcks();
                if (firstRefusal == null) {
                    firstRefusal = p.sender().firstRefusal();
                }
            }
            lost += p.lost();
            duplicates += p.duplicates();
            outOfOrder += p.outOfOrder();
            foreign += p.foreign();
            otherErrors += p.errors();
            BenchClient client = p.client();
            seqViolations += client.seqViolations();
            otherErrors += client.malformedPackets();
            if (client.closedByPeer()) {
                closedByPeer++;
            }
        }
        return new DeliveryCounts(sent, acked, refused, sent - acked - refused, counters.delivered.sum(),
                acked * counters.fanout(), lost, duplicates, outOfOrder, seqViolations, foreign, otherErrors,
                closedByPeer, firstRefusal);
    }

    private static void sleepUntil(long deadlineNanos) throws InterruptedException {
        for (long left; (left = deadlineNanos - System.nanoTime()) > 0; ) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
    }
}
