package dev.switchboard.im.model;

import dev.switchboard.im.server.AdminSettings;
import dev.switchboard.im.server.ImServer;
import dev.switchboard.im.server.ImServerSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** The real server in the test's JVM ({@link ImServer#start}), memory or SQLite; restarts are graceful. */
final class InProcessServer implements ServerUnderTest {

    private final ImServerSettings settings;
    private ImServer server;

    private InProcessServer(ImServerSettings settings) {
        this.settings = settings;
        this.server = ImServer.start(settings, Clock.systemUTC(), false);
    }

    static InProcessServer start(String store, Path dataDir) {
        return new InProcessServer(settings().withStore(store).withDataDir(dataDir));
    }

    /**
     * The model's server settings: no rate limit and no timeouts (the driver decides when sockets idle, log out or
     * go away), and an admin listener for the connection count.
     */
    static ImServerSettings settings() {
        return ImServerSettings.forTests().withMessagesPerSecond(0).withTimeouts(Duration.ZERO, Duration.ZERO)
                .withAdmin(AdminSettings.loopback(0));
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public int adminPort() {
        return server.adminPort().orElseThrow();
    }

    @Override
    public void restart(boolean kill) {
        if (kill) {
            throw new IllegalArgumentException("an in-process server cannot be killed");
        }
        if (settings.store().equals("memory")) {
            throw new IllegalStateException("restarting the memory store would lose everything");
        }
        server.close();
        server = ImServer.start(settings, Clock.systemUTC(), false);
    }

    @Override
    public void close() {
        server.close();
    }
}
