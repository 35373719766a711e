package dev.switchboard.framework.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightRequestsTest {

    private final InFlightRequests inFlight = new InFlightRequests();

    @Test
    void noneInFlightNeedsNoWait() throws Exception {
        assertThat(inFlight.awaitNone(System.nanoTime() - 1)).isTrue();
    }

    @Test
    void aDeadlineThatPassedEndsTheWaitWithFalse() throws Exception {
        inFlight.started();
        assertThat(inFlight.awaitNone(System.nanoTime())).isFalse();
        assertThat(inFlight.count()).isOne();
    }

    @Test
    void theLastFinishWakesTheWaiter() throws Exception {
        inFlight.started();
        inFlight.started();
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return inFlight.awaitNone(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        inFlight.finished(1);
        assertThat(waited).isNotDone();
        inFlight.finished(1);
        assertThat(waited.get(10, TimeUnit.SECONDS)).isTrue();
        inFlight.finished(0); // a connection with nothing to give back
        assertThat(inFlight.count()).isZero();
    }
}
