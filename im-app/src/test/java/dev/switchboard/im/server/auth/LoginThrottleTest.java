package dev.switchboard.im.server.auth;

import dev.switchboard.im.testing.FakeClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** A clock the test moves by hand. */
    private final FakeClock clock = new FakeClock();
    private final LoginThrottle throttle = new LoginThrottle(clock);

    private void fail(String source, String account, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(throttle.reserve(source, account)).as("attempt %d from %s", i + 1, source).isZero();
        }
    }

    @Test
    void aSourceWaitsAfterFiveFailuresAndTheWaitDoubles() {
        fail("10.0.0.1", "victim", 5);
        assertThat(throttle.reserve("10.0.0.1", "victim")).isEqualTo(1_000);
        clock.advance(Duration.ofSeconds(1));
        fail("10.0.0.1", "victim", 1);
        assertThat(throttle.reserve("10.0.0.1", "victim")).isEqualTo(2_000);
    }

    @Test
    void aGuesserFromOneAddressDoesNotLockTheOwnerOut() {
        fail("10.0.0.66", "victim", 5);
        assertThat(throttle.reserve("10.0.0.66", "victim")).isPositive();
        assertThat(throttle.reserve("192.0.2.7", "victim")).as("the owner, elsewhere").isZero();
    }

    @Test
    void tokenLoginsCountForTheSourceOnly() {
        for (int source = 0; source < 20; source++) {
            fail("10.0.1." + source, null, 5);
        }
        assertThat(throttle.reserve("192.0.2.7", "victim")).isZero();
    }

    @Test
    void guessesFromManyAddressesHitTheAccountCeilingForAMinuteAtMost() {
        for (int source = 0; source < 10; source++) {
            fail("10.0.2." + source, "victim", 5);
        }
        long wait = throttle.reserve("192.0.2.7", "victim");
        assertThat(wait).isPositive().isLessThanOrEqualTo(LoginThrottle.ACCOUNT_LOCK.toMillis());
        clock.advance(LoginThrottle.ACCOUNT_LOCK);
        assertThat(throttle.reserve("192.0.2.7", "victim")).isZero();
    }

    @Test
    void aSuccessRefundsItsAttemptAndClearsTheAccountButNotTheSourcesOtherFailures() {
        fail("10.0.0.1", "victim", 4);
        assertThat(throttle.reserve("10.0.0.1", "mine")).isZero();
        throttle.succeeded("10.0.0.1", "mine"); // the attacker's own account
        fail("10.0.0.1", "victim", 1);
        assertThat(throttle.reserve("10.0.0.1", "victim")).as("still counted: 5 failures").isPositive();
    }

    @Test
    void aCancelledAttemptIsGivenBackToTheSourceAndTheAccount() {
        fail("10.0.0.1", "victim", 4);
        assertThat(throttle.reserve("10.0.0.1", "victim")).isZero(); // the fifth, then refused elsewhere
        throttle.cancel("10.0.0.1", "victim");
        assertThat(throttle.reserve("10.0.0.1", "victim")).as("the fifth again, not a lock").isZero();
        assertThat(throttle.reserve("10.0.0.1", "victim")).isPositive();
        for (int source = 0; source < LoginThrottle.FREE_PER_ACCOUNT; source++) {
            assertThat(throttle.reserve("10.0.3." + source, "other")).isZero();
            throttle.cancel("10.0.3." + source, "other");
        }
        assertThat(throttle.reserve("10.0.4.1", "other")).as("cancelled attempts never lock the account").isZero();
    }

    @Test
    void aSuccessOnTheFifthAttemptLeavesNoLock() {
        fail("10.0.0.1", "me", 5);
        throttle.succeeded("10.0.0.1", "me");
        assertThat(throttle.reserve("10.0.0.1", "me")).isZero();
    }

    @Test
    void parallelGuessesCannotSlipPastTheCount() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> attempts = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                attempts.add(pool.submit(() -> {
                    go.await();
                    return throttle.reserve("10.0.0.9", "victim");
                }));
            }
            go.countDown();
            int allowed = 0;
            for (Future<Long> attempt : attempts) {
                allowed += attempt.get() == 0 ? 1 : 0;
            }
            assertThat(allowed).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anyNumberOfNamesAndAddressesStaysBounded() {
        for (int i = 0; i < 3 * LoginThrottle.MAX_ENTRIES; i++) {
            throttle.reserve("s" + i, "name" + i);
        }
        assertThat(throttle.entries()).isLessThanOrEqualTo(2L * LoginThrottle.MAX_ENTRIES);
    }

    @Test
    void failuresAreForgottenAfterAnHour() {
        fail("10.0.0.1", "victim", 5);
        clock.advance(Duration.ofMinutes(61));
        assertThat(throttle.entries()).isZero();
        fail("10.0.0.1", "victim", 5);
    }
}
