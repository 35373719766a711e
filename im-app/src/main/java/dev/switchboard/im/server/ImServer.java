package dev.switchboard.im.server;

import com.google.inject.Module;
import dev.switchboard.framework.DefaultWireFormat;
import dev.switchboard.framework.Server;
import dev.switchboard.framework.Switchboard;
import dev.switchboard.im.protocol.ProtocolVersion;
import dev.switchboard.im.server.error.ImErrorHandler;
import dev.switchboard.im.server.ops.RateLimiter;
import dev.switchboard.im.server.ops.SessionCleanup;
import dev.switchboard.im.store.SqliteSettings;
import dev.switchboard.im.store.StoreModule;
import java.time.Clock;

/** The IM server: the protocol and server packages on the framework, with the chosen store. */
public final class ImServer implements AutoCloseable {

    /** The packages scanned for packets and handlers. */
    static final String[] PACKAGES = {"dev.switchboard.im.protocol", "dev.switchboard.im.server"};

    private final Server server;
    private final ImServerSettings settings;

    private ImServer(Server server, ImServerSettings settings) {
        this.server = server;
        this.settings = settings;
    }

    /** Starts a server with these settings and the system clock. */
    public static ImServer start(ImServerSettings settings) {
        return start(settings, Clock.systemUTC(), true);
    }

    /**
     * Starts a server.
     *
     * @param shutdownHook whether SIGTERM closes it gracefully (tests starting many servers pass false)
     */
    public static ImServer start(ImServerSettings settings, Clock clock, boolean shutdownHook) {
        Module store = settings.store().equals("memory") ? StoreModule.memory()
                : StoreModule.sqlite(SqliteSettings.defaults().withDataDir(settings.dataDir()));
        Server server = Switchboard.server(c -> c
                .scan(PACKAGES)
                .wireFormat(new DefaultWireFormat().acceptingVersions(ProtocolVersion.V1, ProtocolVersion.V2))
                .modules(new ImServerModule(settings, clock), store)
                .host(settings.host())
                .port(settings.port())
                .maxBodyLength(settings.maxBodyLength())
                .readerIdleTimeout(settings.readerIdleTimeout())
                .authTimeout(settings.authTimeout())
                .connectionsPerSource(settings.maxConnectionsPerIp(), settings.connectionRatePerIp(),
                        2 * settings.connectionRatePerIp())
                .framesPerSecond(settings.framesPerSecond(), 2 * settings.framesPerSecond())
                .businessExecutor(settings.hashThreads(), 1_000)
                .errorHandler(ImErrorHandler.class)
                .interceptor(RateLimiter.class)
                .listener(SessionCleanup.class)
                .shutdownHook(shutdownHook));
        return new ImServer(server.start(), settings);
    }

    public int port() {
        return server.port();
    }

    public ImServerSettings settings() {
        return settings;
    }

    /** The framework server underneath, for its injector and connection count. */
    public Server server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
