package dev.switchboard.im.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.server.metrics.ImMetrics.LoginMethod;
import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.StorageFailedException;
import dev.switchboard.im.store.StoreException;
import dev.switchboard.im.store.StoreOverloadedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The IM's meters on a simple registry: tags, classification and the lag clock. */
class ImMetricsTest {

    private static final long NOW = 1_000_000;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ImMetrics metrics = new ImMetrics(registry, new SessionRegistry(), Set.of(),
            Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), 1);

    @Test
    void loginsAreCountedByMethodAndOutcome() {
        metrics.loggedIn(LoginMethod.TOKEN);
        metrics.loginRefused(LoginMethod.PASSWORD);
        metrics.loginRefused(LoginMethod.PASSWORD);
        assertThat(logins("token", "ok")).isEqualTo(1);
        assertThat(logins("password", "refused")).isEqualTo(2);
        assertThat(logins("password", "ok")).isZero();
        assertThat(logins("token", "refused")).isZero();
    }

    @Test
    void storeErrorsAreClassified() {
        metrics.storeError(new StoreOverloadedException(10));
        metrics.storeError(new StoreException("one operation failed"));
        metrics.storeError(new StorageFailedException("disk gone", new RuntimeException()));
        for (String kind : new String[] {"overloaded", "failed", "fatal"}) {
            assertThat(registry.get("switchboard.im.store.errors").tag("kind", kind).counter().count())
                    .as(kind).isEqualTo(1);
        }
    }

    @Test
    void liveDeliveriesRecordTheirLagAndBacklogOnesDoNot() {
        metrics.deliveredLive(NOW - 40);
        metrics.deliveredLive(NOW + 5); // stored "after" now: a clock step, not a lag
        metrics.deliveredFromBacklog();
        assertThat(registry.get("switchboard.im.messages.delivered").tag("path", "live").functionCounter().count())
                .isEqualTo(2);
        assertThat(registry.get("switchboard.im.messages.delivered").tag("path", "backlog").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("switchboard.im.delivery.lag").timer().count()).isEqualTo(1);
        assertThat(registry.get("switchboard.im.delivery.lag").timer().max(TimeUnit.MILLISECONDS)).isEqualTo(40);
    }

    @Test
    void aSampledLagTimesAboutOneDeliveryInNAndCountsThemAll() {
        SimpleMeterRegistry sampledRegistry = new SimpleMeterRegistry();
        ImMetrics sampled = new ImMetrics(sampledRegistry, new SessionRegistry(), Set.of(),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), 8);
        for (int i = 0; i < 8_000; i++) {
            sampled.deliveredLive(NOW - 3);
        }
        assertThat(sampledRegistry.get("switchboard.im.messages.delivered").tag("path", "live").functionCounter().count())
                .isEqualTo(8_000);
        // Binomial(8000, 1/8): mean 1000, standard deviation 30; these bounds are 10 deviations away.
        assertThat(sampledRegistry.get("switchboard.im.delivery.lag").timer().count()).isBetween(700L, 1_300L);
        assertThat(sampledRegistry.get("switchboard.im.delivery.lag").timer().max(TimeUnit.MILLISECONDS))
                .isEqualTo(3);
    }

    @Test
    void onlineGaugesStartAtZero() {
        assertThat(registry.get("switchboard.im.users.online").gauge().value()).isZero();
        assertThat(registry.get("switchboard.im.devices.online").gauge().value()).isZero();
    }

    private double logins(String method, String outcome) {
        return registry.get("switchboard.im.logins").tag("method", method).tag("outcome", outcome).counter()
                .count();
    }
}
