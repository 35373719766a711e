package dev.switchboard.framework.internal.transport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The chain behind {@link dev.switchboard.framework.Connection#inOrder}: each step starts only after the step
 * submitted before it has completed, however it completed. A step whose predecessor is done runs at once on the
 * calling thread, so a connection whose steps complete synchronously (cache hits, an in-memory store) pays one
 * check; otherwise it runs on the connection's event loop when its predecessor completes. Thread-safe.
 */
final class OrderedSteps {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Executor eventLoop;
    private final IntConsumer waitingChanged;
    private CompletableFuture<?> tail = DONE; // guarded by this
    private int waiting; // guarded by this: steps submitted while their predecessor was still running

    /**
     * @param waitingChanged told the number of steps waiting for a predecessor after each change (any thread), so
     *     the connection can stop reading while too many wait
     */
    OrderedSteps(Executor eventLoop, IntConsumer waitingChanged) {
        this.eventLoop = eventLoop;
        this.waitingChanged = waitingChanged;
    }

    <T> CompletionStage<T> submit(Supplier<? extends CompletionStage<T>> step) {
        CompletableFuture<T> result;
        int nowWaiting;
        synchronized (this) {
            if (tail.isDone()) {
                result = run(step);
                tail = result;
                return result;
            }
            nowWaiting = ++waiting;
            result = tail.handle((value, error) -> null).thenComposeAsync(ignored -> {
                stepStarted();
                return run(step);
            }, eventLoop);
            tail = result;
        }
        waitingChanged.accept(nowWaiting);
        return result;
    }

    private void stepStarted() {
        int nowWaiting;
        synchronized (this) {
            nowWaiting = --waiting;
        }
        waitingChanged.accept(nowWaiting);
    }

    private static <T> CompletableFuture<T> run(Supplier<? extends CompletionStage<T>> step) {
        try {
            CompletionStage<T> stage = step.get();
            return stage == null ? CompletableFuture.completedFuture(null) : stage.toCompletableFuture();
        } catch (Throwable e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
