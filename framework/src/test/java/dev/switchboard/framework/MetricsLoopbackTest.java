package dev.switchboard.framework;

import static dev.switchboard.framework.testing.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.fixtures.echo.Packets.Echo;
import dev.switchboard.framework.fixtures.echo.Packets.Echoed;
import dev.switchboard.framework.fixtures.echo.Packets.Login;
import dev.switchboard.framework.fixtures.echo.Packets.LoginOk;
import dev.switchboard.framework.fixtures.echo.Probe;
import dev.switchboard.framework.fixtures.echo.RecordingErrorHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real server with a registry, over loopback TCP: the gauges read live state, and a close cleans up. */
class MetricsLoopbackTest {

    private static final String ECHO = "dev.switchboard.framework.fixtures.echo";

    private final Probe probe = new Probe();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private Server server() {
        return Switchboard.server(c -> c.scan(ECHO).host("127.0.0.1").port(0).ioThreads(1).businessExecutor(2, 100)
                .shutdownHook(false).modules(binder -> binder.bind(Probe.class).toInstance(probe))
                .errorHandler(RecordingErrorHandler.class).metrics(registry)).start();
    }

    private Client client(int port) throws Exception {
        return Switchboard.client(c -> c.scan(ECHO, "dev.switchboard.framework.fixtures.echoclient").port(port)
                .ioThreads(1).businessExecutor(1, 10).modules(binder -> binder.bind(Probe.class).toInstance(probe))
                .requestTimeout(Duration.ofSeconds(5))).connect();
    }

    @Test
    void trafficMovesTheMetersAndAServerShutdownIsCountedBeforeTheMetersLeave() throws Exception {
        Server server = server();
        Counter shutdowns;
        FunctionCounter echoes;
        try (Client client = client(server.port())) {
            assertThat(client.request(new Login("ann"), LoginOk.class).get(5, TimeUnit.SECONDS).user())
                    .isEqualTo("ann");
            for (int i = 0; i < 3; i++) {
                assertThat(client.request(new Echo("e" + i), Echoed.class).get(5, TimeUnit.SECONDS).text())
                        .isEqualTo("e" + i);
            }
            assertThat(registry.get("switchboard.connections.open").gauge().value()).isEqualTo(1);
            assertThat(registry.get("switchboard.connections.opened").counter().count()).isEqualTo(1);
            echoes = registry.get("switchboard.frames.received").tag("command", "Echo").functionCounter();
            assertThat(echoes.count()).isEqualTo(3);
            assertThat(registry.get("switchboard.frames.sent").tag("command", "Echoed").functionCounter().count())
                    .isEqualTo(3);
            assertThat(registry.get("switchboard.handler.latency").tag("command", "Echo").timer().count())
                    .isEqualTo(3);
            assertThat(registry.get("switchboard.received.bytes").counter().count()).isPositive();
            assertThat(registry.get("switchboard.business.queue").gauge().value()).isZero();
            shutdowns = registry.get("switchboard.connections.closed").tag("reason", "server-shutdown").counter();

            server.close();
            until("the client saw the close", () -> !client.isConnected());
        }
        assertThat(shutdowns.count()).isEqualTo(1);
        assertThat(echoes.count()).isEqualTo(3);
        assertThat(registry.getMeters()).as("a closed server leaves no meter behind").isEmpty();
    }
}
