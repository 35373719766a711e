package dev.switchboard.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.baseline.BaselineRelayServer;
import dev.switchboard.bench.client.BenchClientSettings;
import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.protocol.BodyFormat;
import dev.switchboard.bench.protocol.MessageResponse;
import dev.switchboard.bench.target.ServerAddresses;
import dev.switchboard.bench.testing.TamperingProxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Short direct runs against the in-process baseline, straight and through a proxy that tampers. */
class DirectWorkloadTest {

    private static BaselineRelayServer relay;
    private static ClientTransport transport;

    @BeforeAll
    static void start() throws InterruptedException {
        relay = new BaselineRelayServer(1, Duration.ofSeconds(15)).start("127.0.0.1", 0);
        transport = new ClientTransport(1);
    }

    @AfterAll
    static void stop() {
        transport.close();
        relay.close();
    }

    static MessagingConfig config(double rate, Duration drain, BodyFormat format) {
        return new MessagingConfig(16, rate, 48, 8,
                new RunPlan(Duration.ofMillis(200), Duration.ofMillis(800), drain),
                BenchClientSettings.defaults(format));
    }

    private static InetSocketAddress relayAddress() {
        return new InetSocketAddress("127.0.0.1", relay.port());
    }

    @Test
    void deliversEverythingOnceAndCountsIt() throws Exception {
        MessagingResult result = new DirectWorkload(3, config(0, Duration.ofSeconds(3), BodyFormat.JSONB))
                .run(transport, ServerAddresses.of(relayAddress()));

        DeliveryCounts counts = result.counts();
        assertThat(result.problems()).isEmpty();
        assertThat(counts.deliveries()).isPositive().isEqualTo(counts.sent()).isEqualTo(counts.acked());
        assertThat(counts.expectedDeliveries()).isEqualTo(counts.acked());
        assertThat(counts.lost() + counts.duplicates() + counts.seqViolations() + counts.otherErrors()).isZero();
        assertThat(result.messagesPerSecond()).isPositive();
        assertThat(result.latency().count()).isPositive();
        assertThat(result.latency().p50Micros()).isLessThanOrEqualTo(result.latency().p99Micros());
        assertThat(result.clients()).isEqualTo(6);
    }

    @Test
    void holdsAFixedRate() throws Exception {
        MessagingResult result = new DirectWorkload(2, config(400, Duration.ofSeconds(3), BodyFormat.JSON))
                .run(transport, ServerAddresses.of(relayAddress()));

        assertThat(result.problems()).isEmpty();
        // 400/s for 1 s of warm-up and measurement; the pacer never runs ahead of the schedule.
        assertThat(result.counts().sent()).isBetween(200L, 401L);
        assertThat(result.messagesPerSecond()).isBetween(200.0, 600.0);
    }

    @Test
    void countsDroppedDeliveriesAsLostExactly() throws Exception {
        AtomicInteger deliveries = new AtomicInteger();
        Set<Integer> dropped = Set.of(5, 9);
        try (TamperingProxy proxy = new TamperingProxy(relayAddress(), packet ->
                packet instanceof MessageResponse && dropped.contains(deliveries.incrementAndGet()) ? 0 : 1)) {
            MessagingResult result = new DirectWorkload(2, config(0, Duration.ofSeconds(1), BodyFormat.JSON))
                    .run(transport, ServerAddresses.of(new InetSocketAddress("127.0.0.1", proxy.port())));

            DeliveryCounts counts = result.counts();
            assertThat(counts.lost()).isEqualTo(2);
            assertThat(counts.duplicates()).isZero();
            assertThat(counts.seqViolations()).isEqualTo(2);
            assertThat(counts.deliveries()).isEqualTo(counts.acked() - 2);
            assertThat(result.problems()).anyMatch(p -> p.contains("2 acknowledged deliveries lost"));
        }
    }

    @Test
    void countsRepeatedDeliveriesAsDuplicatesExactly() throws Exception {
        AtomicInteger deliveries = new AtomicInteger();
        Set<Integer> repeated = Set.of(3, 7, 11);
        try (TamperingProxy proxy = new TamperingProxy(relayAddress(), packet ->
                packet instanceof MessageResponse && repeated.contains(deliveries.incrementAndGet()) ? 2 : 1)) {
            MessagingResult result = new DirectWorkload(2, config(0, Duration.ofSeconds(3), BodyFormat.JSON))
                    .run(transport, ServerAddresses.of(new InetSocketAddress("127.0.0.1", proxy.port())));

            DeliveryCounts counts = result.counts();
            assertThat(counts.duplicates()).isEqualTo(3);
            assertThat(counts.lost()).isZero();
            assertThat(counts.deliveries()).isEqualTo(counts.acked());
            assertThat(result.problems()).anyMatch(p -> p.contains("3 duplicated deliveries"));
        }
    }
}
