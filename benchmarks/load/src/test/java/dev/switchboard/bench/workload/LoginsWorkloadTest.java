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

class LoginsWorkloadTest {

    @Test
    void logsInFreshAndExistingUsersWithPasswordsAndTokens() throws Exception {
        try (BaselineRelayServer relay = new BaselineRelayServer(1, Duration.ofSeconds(15)).start("127.0.0.1", 0);
                ClientTransport transport = new ClientTransport(1)) {
            LoginsConfig config = new LoginsConfig(4, 2, Duration.ofMillis(100), Duration.ofMillis(300),
                    BenchClientSettings.defaults(BodyFormat.JSON).withHeartbeat(Duration.ZERO));
            LoginsResult result = new LoginsWorkload(config)
                    .run(transport, ServerAddresses.of(new InetSocketAddress("127.0.0.1", relay.port())));

            assertThat(result.problems()).isEmpty();
            assertThat(result.phases()).extracting(LoginPhaseResult::phase)
                    .containsExactly("fresh-password", "existing-password", "token");
            assertThat(result.phases()).allSatisfy(phase -> {
                assertThat(phase.logins()).isPositive();
                assertThat(phase.failures()).isZero();
                assertThat(phase.latency().count()).isEqualTo(phase.logins());
            });
            assertThat(result.headline()).isPositive();
        }
    }
}
