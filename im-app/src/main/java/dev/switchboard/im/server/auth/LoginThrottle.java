package dev.switchboard.im.server.auth;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import jakarta.inject.Inject;

/**
 * Slows down password guessing: after {@value #FREE_FAILURES} failed logins an account is locked for a period that
 * doubles with each further failure (up to 15 minutes), and a success clears it. Failures are forgotten after an
 * hour of quiet. Thread-safe; the map is bounded by pruning quiet entries when it grows.
 */
@Singleton
public final class LoginThrottle {

    static final int FREE_FAILURES = 5;
    private static final long BASE_LOCK_MS = 1_000;
    private static final long MAX_LOCK_MS = 15 * 60_000;
    private static final long FORGET_MS = 60 * 60_000;
    private static final int PRUNE_ABOVE = 100_000;

    private record Failures(int count, long lastFailure, long lockedUntil) {}

    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    @Inject
    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Milliseconds until the account may try again; 0 if it may now. */
    public long lockedFor(String userName) {
        Failures entry = failures.get(userName);
        if (entry == null) {
            return 0;
        }
        return Math.max(0, entry.lockedUntil() - clock.millis());
    }

    /** Records a failed attempt. */
    public void failed(String userName) {
        long now = clock.millis();
        failures.compute(userName, (name, previous) -> {
            int count = previous == null || now - previous.lastFailure() > FORGET_MS ? 1 : previous.count() + 1;
            long lock = count < FREE_FAILURES ? 0
                    : Math.min(MAX_LOCK_MS, BASE_LOCK_MS << Math.min(20, count - FREE_FAILURES));
            return new Failures(count, now, now + lock);
        });
        if (failures.size() > PRUNE_ABOVE) {
            failures.values().removeIf(entry -> now - entry.lastFailure() > FORGET_MS);
        }
    }

    /** Clears the account's failures. */
    public void succeeded(String userName) {
        failures.remove(userName);
    }
}
