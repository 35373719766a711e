package dev.switchboard.im.server;

import com.google.inject.Module;
import dev.switchboard.framework.AdminConfig;
import dev.switchboard.framework.wire.DefaultWireFormat;
import dev.switchboard.framework.Server;
import dev.switchboard.framework.ServerConfig;
import dev.switchboard.framework.Switchboard;
import dev.switchboard.im.protocol.ProtocolVersion;
import dev.switchboard.im.server.admin.GarbageCollectionEndpoint;
import dev.switchboard.im.server.admin.MetricsEndpoint;
import dev.switchboard.im.server.admin.StatsEndpoint;
import dev.switchboard.im.server.cluster.ClusterModule;
import dev.switchboard.im.server.error.ImErrorHandler;
import dev.switchboard.im.server.metrics.PrometheusMetrics;
import dev.switchboard.im.server.ops.RateLimiter;
import dev.switchboard.im.server.ops.SessionCleanup;
import dev.switchboard.im.server.ops.StoreReadiness;
import dev.switchboard.im.store.postgres.PostgresSettings;
import dev.switchboard.im.store.sqlite.SqliteSettings;
import dev.switchboard.im.store.StorageFailedException;
import dev.switchboard.im.store.StoreModule;
import java.time.Clock;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IM server: the protocol and server packages on the framework, with the chosen store.
 *
 * <p>It stops in one of two ways, reported by {@link #stopped()}: on request, by a drain ({@link #close()},
 * SIGTERM, Ctrl-C, the admin listener's {@code POST /drain}, a test), or by itself when its storage fails for
 * good. Then it logs one ERROR line (what failed, that it stops, the exit code), closes its port and every
 * connection, and reports {@link StopReason#STORAGE_FAILED}; the {@code server} command
 * exits with {@link #EXIT_STORAGE_FAILED}, so a supervisor restarts it instead of it running without storage.
 *
 * <p>Thread-safe: {@link #close()} may be called from any thread, any number of times.
 */
public final class ImServer implements AutoCloseable {

    /** The packages scanned for packets and handlers. */
    static final String[] PACKAGES = {"dev.switchboard.im.protocol", "dev.switchboard.im.server"};

    /** Exit status of the {@code server} command after a fatal storage failure: 74, EX_IOERR of sysexits.h. */
    public static final int EXIT_STORAGE_FAILED = 74;

    private static final Logger log = LoggerFactory.getLogger(ImServer.class);

    /** Why a server stopped, and the exit status the {@code server} command turns it into. */
    public enum StopReason {
        /** Drained on request: {@link #close()} (SIGTERM, Ctrl-C, the embedding code) or {@code POST /drain}. */
        CLOSED(0),
        /** The storage failed for good and the server stopped itself. */
        STORAGE_FAILED(EXIT_STORAGE_FAILED);

        private final int exitCode;

        StopReason(int exitCode) {
            this.exitCode = exitCode;
        }

        /** The {@code server} command's exit status for this reason. */
        public int exitCode() {
            return exitCode;
        }
    }

    private final Server server;
    private final PrometheusMetrics metrics; // null without the admin listener
    private final ImServerSettings settings;
    private final Thread shutdownHook; // null when not installed
    private final AtomicReference<StopReason> reason = new AtomicReference<>(); // the first reason wins
    private final CompletableFuture<StopReason> stopped = new CompletableFuture<>();

    private ImServer(Server server, PrometheusMetrics metrics, ImServerSettings settings, boolean shutdownHook) {
        this.server = server;
        this.metrics = metrics;
        this.settings = settings;
        this.shutdownHook = shutdownHook ? new Thread(this::close, "im-shutdown") : null;
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
        return start(settings, clock, shutdownHook, storeModule(settings));
    }

    /**
     * Starts a server on the given store instead of the one {@code settings} names: several cluster nodes in one
     * process on one {@link StoreModule#shared shared} store, in tests.
     */
    public static ImServer start(ImServerSettings settings, Clock clock, boolean shutdownHook, StoreModule store) {
        StopOnStorageFailure onStorageFailure = new StopOnStorageFailure();
        // Metrics only where they can be read: the admin listener serves them at GET /metrics.
        PrometheusMetrics metrics = settings.admin().filter(AdminSettings::metrics).isPresent()
                ? new PrometheusMetrics() : null;
        ImServerModule module = metrics == null ? new ImServerModule(settings, clock, onStorageFailure)
                : new ImServerModule(settings, clock, onStorageFailure, metrics.registry());
        Server server;
        try {
            server = Switchboard.server(c -> configure(c, settings, module, store, metrics)).start();
        } catch (RuntimeException e) {
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
        ImServer im = new ImServer(server, metrics, settings, shutdownHook);
        if (im.shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(im.shutdownHook);
        }
        onStorageFailure.attach(im); // a failure during start is acted on now
        // A drain started by the admin listener ends here too: the server command then exits with 0.
        server.stopped().thenRun(im::drained);
        return im;
    }

    /** The IM's module, the store's, then the cluster node's if there is one (started after the store). */
    private static Module[] modules(ImServerModule module, Module store, ImServerSettings settings) {
        return settings.cluster().map(cluster -> new Module[] {module, store, new ClusterModule(cluster)})
                .orElseGet(() -> new Module[] {module, store});
    }

    private static StoreModule storeModule(ImServerSettings settings) {
        return switch (settings.store()) {
            case "memory" -> StoreModule.memory();
            case "postgres" -> {
                PostgresOptions options = settings.postgres().orElseThrow();
                yield StoreModule.postgres(PostgresSettings.of(options.jdbcUrl())
                        .withCredentials(options.user(), options.password()).withPoolSize(options.poolSize()));
            }
            default -> StoreModule.sqlite(SqliteSettings.defaults().withDataDir(settings.dataDir()));
        };
    }

    private static void configure(ServerConfig c, ImServerSettings settings, ImServerModule module, Module store,
            PrometheusMetrics metrics) {
        c.scan(PACKAGES)
                .wireFormat(new DefaultWireFormat().acceptingVersions(ProtocolVersion.V1, ProtocolVersion.V2))
                .modules(modules(module, store, settings))
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
                .readinessCheck("store", StoreReadiness.class)
                .drainTimeout(settings.drainTimeout())
                .shutdownHook(false); // ours (see start), so that a SIGTERM also completes stopped()
        settings.admin().ifPresent(admin -> c.admin(config -> admin(config, admin)));
        settings.tls().ifPresent(c::tls);
        settings.web().ifPresent(web -> c.webSocket(ws -> {
            ws.port(web.port()).path(WebSettings.SOCKET_PATH).staticFiles(WebSettings.STATIC_ROOT);
            web.origins().forEach(ws::allowOrigin);
        }));
        if (metrics != null) {
            c.metrics(metrics.registry()).latencySampling(settings.admin().orElseThrow().latencySampling());
        }
    }

    private static void admin(AdminConfig admin, AdminSettings settings) {
        admin.host(settings.host()).port(settings.port())
                .get("/stats", StatsEndpoint.class)
                .post("/gc", GarbageCollectionEndpoint.class);
        if (settings.metrics()) {
            admin.get("/metrics", MetricsEndpoint.class);
        }
        settings.token().ifPresent(admin::token);
    }


    public int port() {
        return server.port();
    }

    /** The web listener's port (WebSocket endpoint and web client), or empty when it is off. */
    public OptionalInt webPort() {
        return server.webSocketPort();
    }

    /** The admin listener's port, or empty when it is off. */
    public OptionalInt adminPort() {
        return server.adminPort();
    }

    public ImServerSettings settings() {
        return settings;
    }

    /** The framework server underneath, for its ports and connection count. */
    public Server server() {
        return server;
    }

    /** Completes once the server has stopped (port and connections closed, storage stopped), with the reason. */
    public CompletionStage<StopReason> stopped() {
        return stopped.minimalCompletionStage();
    }

    /** Waits until the server has stopped; returns why. */
    public StopReason awaitStop() throws InterruptedException {
        try {
            return stopped.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        }
    }

    /**
     * Drains and waits until stopped (see {@code Server.drain()}: requests in flight are answered, queued storage
     * writes are committed first, within the drain timeout); idempotent.
     */
    @Override
    public void close() {
        reason.compareAndSet(null, StopReason.CLOSED);
        closeNow();
    }

    /** The storage failed for good: log once, then close from a thread of our own (never the store's). */
    void storageFailed(StorageFailedException failure) {
        if (!reason.compareAndSet(null, StopReason.STORAGE_FAILED)) {
            return; // already stopping
        }
        Thread stopper = new Thread(() -> {
            log.error("Storage failed, stopping the server (exit code {}): {}", EXIT_STORAGE_FAILED,
                    failure.getMessage(), failure.getCause());
            closeNow();
        }, "im-storage-failure");
        stopper.start();
    }

    /** The framework server stopped, whoever drained it; on the drain's thread. */
    private void drained() {
        reason.compareAndSet(null, StopReason.CLOSED);
        closeNow();
    }

    private void closeNow() {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The JVM is exiting and runs the hook itself.
            }
        }
        try {
            server.close(); // idempotent; a second caller waits until the first has finished
        } finally {
            if (metrics != null) {
                metrics.close(); // idempotent
            }
            stopped.complete(reason.get());
        }
    }
}
