package dev.switchboard.bench.kill;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays: doubling from {@code initial} up to {@code max}, each drawn between half the current step and
 * the step ("equal jitter"), so that clients cut off together by a kill do not all come back in the same instant.
 * {@link #reset()} after a successful login. Not thread-safe: one client's event loop.
 */
final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private long stepNanos;

    Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max: " + initial + ", " + max);
        }
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.stepNanos = initialNanos;
    }

    /** The delay before the next attempt, in nanoseconds; each call without a reset doubles the step. */
    long nextDelayNanos() {
        long step = stepNanos;
        stepNanos = Math.min(maxNanos, stepNanos * 2);
        return step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
    }

    void reset() {
        stepNanos = initialNanos;
    }
}
