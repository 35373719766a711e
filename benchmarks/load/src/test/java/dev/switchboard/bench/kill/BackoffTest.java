package dev.switchboard.bench.kill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void doublesWithJitterUpToTheCapAndStartsOverAfterAReset() {
        Backoff backoff = new Backoff(Duration.ofMillis(20), Duration.ofMillis(100));
        assertThat(backoff.nextDelayNanos()).isBetween(10 * MS, 20 * MS);
        assertThat(backoff.nextDelayNanos()).isBetween(20 * MS, 40 * MS);
        assertThat(backoff.nextDelayNanos()).isBetween(40 * MS, 80 * MS);
        for (int i = 0; i < 10; i++) {
            assertThat(backoff.nextDelayNanos()).isBetween(50 * MS, 100 * MS);
        }
        backoff.reset();
        assertThat(backoff.nextDelayNanos()).isBetween(10 * MS, 20 * MS);
    }

    @Test
    void refusesAnEmptyOrInvertedRange() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("initial");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("initial");
    }
}
