package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.BenchClient;
import dev.switchboard.bench.measure.LatencyRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed request loops, one per client: each client sends a request, waits for its answer, records the latency and
 * sends the next, until the phase's deadline. One request in flight per connection, as an app paging through a
 * list does, so the latency is a request's own and the rate is what the server answers at that concurrency.
 */
final class RequestLoops {

    private static final long GRACE_SECONDS = 30;

    /** A client's next request; completes with how many items the answer carried, or -1 for an empty answer. */
    interface Step {
        CompletableFuture<Integer> next();
    }

    private RequestLoops() {}

    /** Runs every client's steps for {@code length}; {@code steps.get(i)} runs on {@code clients.get(i)}. */
    static RequestPhaseResult run(List<BenchClient> clients, List<Step> steps, Duration length) throws Exception {
        LatencyRecorder latency = new LatencyRecorder();
        long start = System.nanoTime();
        latency.measureFrom(start);
        long deadline = start + length.toNanos();
        Counts counts = new Counts();
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            loops.add(loop(clients.get(i), steps.get(i), deadline, latency, counts));
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new))
                .get(length.toSeconds() + GRACE_SECONDS, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new RequestPhaseResult(counts.ok.get(), counts.failed.get(), seconds, counts.ok.get() / seconds,
                counts.items.get(), counts.empty.get(), latency.drain(), counts.firstFailure.get());
    }

    private static CompletableFuture<Void> loop(BenchClient client, Step step, long deadline, LatencyRecorder latency,
            Counts counts) {
        if (System.nanoTime() - deadline >= 0 || !client.channel().isActive()) {
            return CompletableFuture.completedFuture(null);
        }
        long begun = System.nanoTime();
        return step.next()
                .handle((items, failure) -> {
                    if (failure != null) {
                        counts.failed.incrementAndGet();
                        counts.firstFailure.compareAndSet(null, String.valueOf(failure));
                    } else {
                        latency.record(begun, System.nanoTime());
                        counts.ok.incrementAndGet();
                        if (items < 0) {
                            counts.empty.incrementAndGet();
                        } else {
                            counts.items.addAndGet(items);
                        }
                    }
                    return null;
                })
                // On the client's loop, and async: a failure that completes at once must not recurse down this stack.
                .thenComposeAsync(ignored -> loop(client, step, deadline, latency, counts), client.eventLoop());
    }

    private static final class Counts {
        final AtomicLong ok = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong items = new AtomicLong();
        final AtomicLong empty = new AtomicLong();
        final AtomicReference<String> firstFailure = new AtomicReference<>();
    }
}
