package dev.switchboard.framework.internal.dispatch;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests a server has dispatched and not answered yet, over all its connections, so that a drain can wait for
 * them. Counts only what can outlive the event-loop turn that read it: blocking handlers (waiting for earlier
 * replies, queued or running on the business executor) and replies whose {@code CompletionStage} is not complete.
 * A synchronous handler's reply is written in the turn that read it, so the server's final pass over its event
 * loops covers those. Thread-safe; {@link Dispatcher}s update it from their event loops.
 */
public final class InFlightRequests {

    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean awaited; // set once someone waits: until then finishing costs no lock

    void started() {
        count.incrementAndGet();
    }

    void finished(int requests) {
        if (requests > 0 && count.addAndGet(-requests) == 0 && awaited) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Requests in flight now. */
    public int count() {
        return count.get();
    }

    /**
     * Waits until no request is in flight, or until {@code deadlineNanos} ({@link System#nanoTime()} scale).
     *
     * @return whether none is in flight
     */
    public boolean awaitNone(long deadlineNanos) throws InterruptedException {
        awaited = true; // before reading the count, so that a finish that brings it to 0 after the read notifies
        synchronized (this) {
            while (count.get() > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }
}
