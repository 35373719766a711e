package dev.switchboard.im.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Slows down password guessing without handing an attacker the owner's account.
 *
 * <p>Attempts are counted <em>before</em> the password is hashed ({@link #reserve}), so parallel guesses cannot
 * slip through between a check and its failure record, and a success refunds its own attempt ({@link #succeeded}).
 * Two counters, each updated atomically:
 * <ul>
 *   <li><b>per source address</b>: after {@value #FREE_PER_SOURCE} attempts that did not succeed, the address
 *       waits 1 s, doubling with each further one up to 15 min. This is what stops a guesser, and it does not touch the
 *       owner, who logs in from elsewhere;</li>
 *   <li><b>per account</b>, a ceiling against guessing from many addresses: after {@value #FREE_PER_ACCOUNT} failed
 *       password attempts the account refuses passwords for at most {@link #ACCOUNT_LOCK} at a time, so keeping an
 *       owner out takes a fresh {@value #FREE_PER_ACCOUNT} guesses from at least
 *       {@value #FREE_PER_ACCOUNT} / {@value #FREE_PER_SOURCE} addresses every minute. Token logins do not count here:
 *       a bogus token says nothing about the account's password.</li>
 * </ul>
 * Both maps are bounded in entries and time (Caffeine), whatever names or addresses a client sends. Thread-safe.
 */
@Singleton
public final class LoginThrottle {

    // Public for the cluster's shared counts (SharedLoginThrottle), which apply the same rules.
    /** Attempts a source may make before it has to wait. */
    public static final int FREE_PER_SOURCE = 5;
    /** Failed password attempts on an account before it refuses passwords for {@link #ACCOUNT_LOCK}. */
    public static final int FREE_PER_ACCOUNT = 50;
    public static final Duration ACCOUNT_LOCK = Duration.ofMinutes(1);
    /** A source's first wait, doubling with each further attempt up to {@link #MAX_SOURCE_LOCK_MS}. */
    public static final long BASE_LOCK_MS = 1_000;
    public static final long MAX_SOURCE_LOCK_MS = 15 * 60_000;
    /** How long counts are remembered after their last change. */
    public static final Duration FORGET = Duration.ofHours(1);
    static final int MAX_ENTRIES = 100_000;

    /** Attempts counted and the time before which the next one is refused. Immutable. */
    private record Attempts(int count, long lockedUntil) {}

    private final Cache<String, Attempts> bySource;
    private final Cache<String, Attempts> byAccount;
    private final Clock clock;

    @Inject
    public LoginThrottle(Clock clock) {
        this.clock = clock;
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        this.bySource = Caffeine.newBuilder().ticker(ticker).maximumSize(MAX_ENTRIES).expireAfterWrite(FORGET).build();
        this.byAccount = Caffeine.newBuilder().ticker(ticker).maximumSize(MAX_ENTRIES).expireAfterWrite(FORGET).build();
    }

    /**
     * Counts an attempt from {@code source} on {@code account} (null for a token login) before it is checked.
     *
     * @return 0 if the attempt may go ahead (it is counted until {@link #succeeded}); otherwise the milliseconds to
     *     wait, and nothing was counted
     */
    public long reserve(String source, String account) {
        long now = clock.millis();
        long wait = tryCount(bySource, source, now, FREE_PER_SOURCE, attempts ->
                Math.min(MAX_SOURCE_LOCK_MS, BASE_LOCK_MS << Math.min(20, attempts - FREE_PER_SOURCE)));
        if (wait > 0 || account == null) {
            return wait;
        }
        wait = tryCount(byAccount, account, now, FREE_PER_ACCOUNT, attempts -> ACCOUNT_LOCK.toMillis());
        if (wait > 0) {
            refund(source); // not attempted: the account refused it
        }
        return wait;
    }

    /**
     * The reserved attempt succeeded: it is refunded to the source, and the account's failures are cleared (only
     * someone who knows the password can clear them). The source's other failures stay, so an attacker cannot
     * reset its count by logging into an account of its own between guesses.
     */
    public void succeeded(String source, String account) {
        refund(source);
        if (account != null) {
            byAccount.invalidate(account);
        }
    }

    /**
     * The reserved attempt is not made after all (another count refused it): both its counts are given back, as
     * if it had never been reserved.
     */
    public void cancel(String source, String account) {
        refund(source);
        if (account != null) {
            byAccount.asMap().computeIfPresent(account, (key, attempts) -> attempts.count() <= 1 ? null
                    : new Attempts(attempts.count() - 1, attempts.lockedUntil()));
        }
    }

    /** Entries held, both maps together, after pending evictions ran; for tests. */
    long entries() {
        bySource.cleanUp();
        byAccount.cleanUp();
        return bySource.estimatedSize() + byAccount.estimatedSize();
    }

    private void refund(String source) {
        bySource.asMap().computeIfPresent(source, (key, attempts) -> {
            int count = attempts.count() - 1;
            return count == 0 ? null : new Attempts(count, count < FREE_PER_SOURCE ? 0 : attempts.lockedUntil());
        });
    }

    private interface LockAfter {
        long millis(int attempts);
    }

    /** Checks and counts in one atomic step per key: parallel attempts cannot all pass one check. */
    private static long tryCount(Cache<String, Attempts> cache, String key, long now, int free, LockAfter lock) {
        long[] wait = {0};
        cache.asMap().compute(key, (k, previous) -> {
            if (previous != null && previous.lockedUntil() > now) {
                wait[0] = previous.lockedUntil() - now;
                return previous;
            }
            int count = previous == null ? 1 : previous.count() + 1;
            return new Attempts(count, count < free ? 0 : now + lock.millis(count));
        });
        return wait[0];
    }
}
