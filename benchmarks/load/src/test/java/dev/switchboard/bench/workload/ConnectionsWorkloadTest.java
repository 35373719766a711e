package dev.switchboard.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.baseline.BaselineRelayServer;
import dev.switchboard.bench.client.BenchClientSettings;
import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.protocol.BodyFormat;
import dev.switchboard.bench.target.ServerAddresses;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionsWorkloadTest {

    @Test
    void opensHoldsWithHeartbeatsAndMeasuresTheServer() throws Exception {
        try (BaselineRelayServer relay = new BaselineRelayServer(1, Duration.ofSeconds(15)).start("127.0.0.1", 0);
                ClientTransport transport = new ClientTransport(1)) {
            int admin = relay.startAdmin("127.0.0.1", 0);
            ConnectionsConfig config = new ConnectionsConfig(30, 12, 8, Duration.ofMillis(600), true,
                    BenchClientSettings.defaults(BodyFormat.JSON).withHeartbeat(Duration.ofMillis(100)),
                    new InetSocketAddress("127.0.0.1", admin));
            ConnectionsResult result = new ConnectionsWorkload(config)
                    .run(transport, ServerAddresses.of(new InetSocketAddress("127.0.0.1", relay.port())));

            assertThat(result.problems()).isEmpty();
            assertThat(result.opened()).isEqualTo(30);
            assertThat(result.sourceAddresses()).isEqualTo(3);
            assertThat(result.after().connections() - result.before().connections()).isEqualTo(30);
            assertThat(result.heartbeatResponses()).isPositive();
            assertThat(result.after().rssBytes()).isPositive();
            assertThat(result.opensPerSecond()).isPositive();
            assertThat(result.rssBytesPerConnection())
                    .isEqualTo((result.after().rssBytes() - result.before().rssBytes()) / 30);
        }
    }
}
