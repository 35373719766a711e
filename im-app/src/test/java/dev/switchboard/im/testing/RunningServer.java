package dev.switchboard.im.testing;

import dev.switchboard.im.server.ImServer;
import dev.switchboard.im.server.ImServerSettings;
import java.time.Clock;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh IM server for each test, on a free loopback port with the in-memory store:
 * {@code @RegisterExtension final RunningServer server = new RunningServer();}
 */
public final class RunningServer implements BeforeEachCallback, AfterEachCallback {

    private final ImServerSettings settings;
    private ImServer server;

    public RunningServer() {
        this(ImServerSettings.forTests());
    }

    public RunningServer(ImServerSettings settings) {
        this.settings = settings;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server = ImServer.start(settings, Clock.systemUTC(), false);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.close();
    }

    public int port() {
        return server.port();
    }

    /** The web listener's port (WebSocket endpoint and web client); the settings must turn it on. */
    public int webPort() {
        return server.webPort().orElseThrow(() -> new IllegalStateException("no web listener configured"));
    }
}
