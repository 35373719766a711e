package dev.switchboard.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.baseline.BaselineRelayServer;
import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.protocol.BodyFormat;
import dev.switchboard.bench.protocol.GroupMessageResponse;
import dev.switchboard.bench.target.ServerAddresses;
import dev.switchboard.bench.testing.TamperingProxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupWorkloadTest {

    @Test
    void deliversEveryMessageToEveryMemberAndTimesTheLast() throws Exception {
        try (BaselineRelayServer relay = new BaselineRelayServer(1, Duration.ofSeconds(15)).start("127.0.0.1", 0);
                ClientTransport transport = new ClientTransport(1)) {
            MessagingResult result = new GroupWorkload(8, 2,
                    DirectWorkloadTest.config(0, Duration.ofSeconds(3), BodyFormat.JSON))
                    .run(transport, ServerAddresses.of(new InetSocketAddress("127.0.0.1", relay.port())));

            DeliveryCounts counts = result.counts();
            assertThat(result.problems()).isEmpty();
            assertThat(result.fanout()).isEqualTo(8);
            assertThat(counts.acked()).isPositive();
            assertThat(counts.deliveries()).isEqualTo(counts.acked() * 8).isEqualTo(counts.expectedDeliveries());
            assertThat(result.deliveriesPerSecond()).isGreaterThan(result.messagesPerSecond());
            assertThat(result.latency().count()).isPositive();
        }
    }

    @Test
    void countsADeliveryMissingFromOneMemberAsLost() throws Exception {
        AtomicInteger deliveries = new AtomicInteger();
        try (BaselineRelayServer relay = new BaselineRelayServer(1, Duration.ofSeconds(15)).start("127.0.0.1", 0);
                TamperingProxy proxy = new TamperingProxy(new InetSocketAddress("127.0.0.1", relay.port()),
                        packet -> packet instanceof GroupMessageResponse && deliveries.incrementAndGet() == 20 ? 0 : 1);
                ClientTransport transport = new ClientTransport(1)) {
            MessagingResult result = new GroupWorkload(4, 1,
                    DirectWorkloadTest.config(0, Duration.ofSeconds(1), BodyFormat.JSON))
                    .run(transport, ServerAddresses.of(new InetSocketAddress("127.0.0.1", proxy.port())));

            assertThat(result.counts().lost()).isEqualTo(1);
            assertThat(result.counts().deliveries()).isEqualTo(result.counts().expectedDeliveries() - 1);
            assertThat(result.problems()).isNotEmpty();
        }
    }
}
