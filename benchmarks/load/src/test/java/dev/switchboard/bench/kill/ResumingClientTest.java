package dev.switchboard.bench.kill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.baseline.BaselineRelayServer;
import dev.switchboard.bench.client.BenchClientSettings;
import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.protocol.BodyFormat;
import dev.switchboard.bench.target.ServerAddresses;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Failover between servers, on baseline relays (each knows only the accounts that logged in on it). */
class ResumingClientTest {

    private static final BenchClientSettings SETTINGS =
            BenchClientSettings.defaults(BodyFormat.JSON).withHeartbeat(Duration.ZERO);

    @Test
    void losingItsServerItTriesTheNextInTheListPastADeadOneAndResumesThere() throws Exception {
        try (BaselineRelayServer first = new BaselineRelayServer().start("127.0.0.1", 0);
                BaselineRelayServer third = new BaselineRelayServer().start("127.0.0.1", 0);
                ClientTransport transport = new ClientTransport(1)) {
            ServerAddresses servers = new ServerAddresses(List.of(new InetSocketAddress("127.0.0.1", first.port()),
                    new InetSocketAddress("127.0.0.1", closedPort()), new InetSocketAddress("127.0.0.1", third.port())));
            KillProgress progress = new KillProgress(1);
            ResumingClient client = new ResumingClient("failover-user", transport, servers, 3, SETTINGS, null,
                    progress);
            client.start().get(10, TimeUnit.SECONDS);
            assertThat(first.connections()).as("client 3 of 3 servers starts on the first").isEqualTo(1);

            first.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (progress.logins.sum() < 2 && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            client.stop().get(10, TimeUnit.SECONDS);

            assertThat(client.reconnects()).isEqualTo(1);
            assertThat(client.failovers()).as("resumed on another server").isEqualTo(1);
            assertThat(client.connectFailures()).as("the dead second server, tried once").isEqualTo(1);
            assertThat(client.tokenFallbacks()).as("the third never issued its token").isEqualTo(1);
            assertThat(client.loginFailures()).isZero();
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
