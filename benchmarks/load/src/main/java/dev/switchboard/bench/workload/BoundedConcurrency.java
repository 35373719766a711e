package dev.switchboard.bench.workload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Runs {@code count} asynchronous tasks with at most {@code concurrency} of them in flight. */
public final class BoundedConcurrency {

    private BoundedConcurrency() {}

    /**
     * Starts tasks 0 to count-1, a new one whenever one finishes. The result lists the tasks' values in index
     * order, or fails with the first failure once every started task has finished (no new task starts after it).
     */
    public static <T> CompletableFuture<List<T>> run(int count, int concurrency, IntFunction<CompletableFuture<T>> task) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency < 1: " + concurrency);
        }
        Object[] values = new Object[count];
        AtomicInteger next = new AtomicInteger();
        CompletableFuture<?>[] lanes = new CompletableFuture<?>[Math.min(count, concurrency)];
        for (int lane = 0; lane < lanes.length; lane++) {
            lanes[lane] = lane(next, count, task, values);
        }
        return CompletableFuture.allOf(lanes).thenApply(done -> {
            @SuppressWarnings("unchecked")
            List<T> list = (List<T>) new ArrayList<>(Arrays.asList(values));
            return list;
        });
    }

    private static <T> CompletableFuture<Void> lane(
            AtomicInteger next, int count, IntFunction<CompletableFuture<T>> task, Object[] values) {
        int index = next.getAndIncrement();
        if (index >= count) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<T> started;
        try {
            started = task.apply(index);
        } catch (RuntimeException e) {
            next.set(count);
            return CompletableFuture.failedFuture(e);
        }
        return started.handle((value, failure) -> {
            if (failure != null) {
                next.set(count);
                return CompletableFuture.<Void>failedFuture(failure);
            }
            values[index] = value;
            return lane(next, count, task, values);
        }).thenCompose(f -> f);
    }
}
