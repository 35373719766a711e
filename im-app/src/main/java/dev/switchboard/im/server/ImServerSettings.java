package dev.switchboard.im.server;

import dev.switchboard.framework.ServerTls;
import dev.switchboard.im.server.cluster.ClusterSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything an operator can set on the IM server. Immutable; build variations with the {@code with} methods, each
 * of which goes through {@link Builder}, so adding a setting touches one place.
 *
 * @param host address to bind
 * @param port port to bind, 0 for a free one
 * @param store {@code sqlite}, {@code postgres} or {@code memory}
 * @param dataDir where the SQLite store keeps its files
 * @param postgres where the PostgreSQL store connects; needed exactly when the store is {@code postgres}
 * @param passwordIterations PBKDF2 iterations for new password hashes
 * @param openRegistration whether a login with an unknown name registers it
 * @param messagesPerSecond per-connection rate limit on requests (0 disables)
 * @param maxMessageLength longest message text, in characters
 * @param maxGroupSize most members a group may have
 * @param maxBodyLength largest frame body, in bytes
 * @param readerIdleTimeout close connections silent this long
 * @param authTimeout close connections not logged in within this time
 * @param hashThreads threads hashing passwords (bounded, off the event loops)
 * @param maxDevices most connections one account may have logged in at once; a login beyond it is refused
 * @param maxConnectionsPerIp connections one source address may have open at once (0 = no limit)
 * @param connectionRatePerIp new connections per second from one source address, bursts of twice that (0 = off)
 * @param framesPerSecond frames read per second from one connection, bursts of twice that, whatever they are;
 *     over it reading slows down (0 = off)
 * @param drainTimeout how long a drain (SIGTERM, {@code POST /drain}) waits for requests in flight before it
 *     closes the connections anyway
 * @param editWindow how long after sending an author may edit a message
 * @param recallWindow how long after sending an author may recall a message
 * @param presenceSettle how long after a user's last device logged out they are announced offline; a login within
 *     it announces nothing ({@code PT0S}: at once)
 * @param admin the admin listener (statistics, health and drain over HTTP), or empty for none (the default)
 * @param tls the certificate to serve TLS with, or empty for plaintext
 * @param web the web listener (the WebSocket endpoint and the web client's files), or empty for none (the
 *     default); it serves TLS too when {@code tls} is set
 */
public record ImServerSettings(
        String host,
        int port,
        String store,
        Path dataDir,
        Optional<PostgresOptions> postgres,
        int passwordIterations,
        boolean openRegistration,
        int messagesPerSecond,
        int maxMessageLength,
        int maxGroupSize,
        int maxBodyLength,
        Duration readerIdleTimeout,
        Duration authTimeout,
        int hashThreads,
        int maxDevices,
        int maxConnectionsPerIp,
        int connectionRatePerIp,
        int framesPerSecond,
        Duration drainTimeout,
        Duration editWindow,
        Duration recallWindow,
        Duration presenceSettle,
        Optional<AdminSettings> admin,
        Optional<ServerTls> tls,
        Optional<WebSettings> web,
        Optional<ClusterSettings> cluster) {

    /** Devices (connections logged in at once) per account by default: phones, laptops and a few browser tabs. */
    public static final int DEFAULT_MAX_DEVICES = 16;

    /** How long a drain waits for requests in flight by default; a systemd {@code TimeoutStopSec} must exceed it. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

    /** How long a message may be edited by default: long enough to fix a typo noticed late. */
    public static final Duration DEFAULT_EDIT_WINDOW = Duration.ofMinutes(15);

    /** How long a message may be recalled by default: before most recipients will have read it. */
    public static final Duration DEFAULT_RECALL_WINDOW = Duration.ofMinutes(2);

    /** How long a user stays online after their last device went, by default: a reconnect within it is no news. */
    public static final Duration DEFAULT_PRESENCE_SETTLE = Duration.ofSeconds(5);

    /** OWASP's recommendation for PBKDF2-HMAC-SHA256 (210,000 is its figure for SHA-512). */
    public static final int DEFAULT_PASSWORD_ITERATIONS = 600_000;

    public ImServerSettings {
        if (!store.equals("sqlite") && !store.equals("memory") && !store.equals("postgres")) {
            throw new IllegalArgumentException("store must be sqlite, postgres or memory, not " + store);
        }
        Objects.requireNonNull(postgres, "postgres (Optional.empty() for none)");
        if (store.equals("postgres") && postgres.isEmpty()) {
            throw new IllegalArgumentException("the postgres store needs a database: --postgres JDBC_URL");
        }
        Objects.requireNonNull(admin, "admin (Optional.empty() for none)");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout < 0: " + drainTimeout);
        }
        Objects.requireNonNull(editWindow, "editWindow");
        Objects.requireNonNull(recallWindow, "recallWindow");
        if (editWindow.isNegative() || recallWindow.isNegative()) {
            throw new IllegalArgumentException("edit and recall windows must be >= 0 (0 turns them off): "
                    + editWindow + ", " + recallWindow);
        }
        Objects.requireNonNull(presenceSettle, "presenceSettle");
        if (presenceSettle.isNegative()) {
            throw new IllegalArgumentException("presenceSettle < 0: " + presenceSettle);
        }
        if (tls == null) {
            throw new IllegalArgumentException("tls == null; Optional.empty() for plaintext");
        }
        Objects.requireNonNull(web, "web (Optional.empty() for none)");
        Objects.requireNonNull(cluster, "cluster (Optional.empty() for a single node)");
        if (passwordIterations < 1) {
            throw new IllegalArgumentException("passwordIterations < 1: " + passwordIterations);
        }
        if (maxMessageLength < 1 || maxGroupSize < 2 || hashThreads < 1 || messagesPerSecond < 0 || maxDevices < 1
                || maxConnectionsPerIp < 0 || connectionRatePerIp < 0 || framesPerSecond < 0) {
            throw new IllegalArgumentException("limits must be positive: " + this);
        }
    }

    /** The defaults: port 8000, SQLite in ./data, open registration, no admin listener, plaintext. */
    public static ImServerSettings defaults() {
        return new ImServerSettings("0.0.0.0", 8000, "sqlite", Path.of("data"), Optional.empty(),
                DEFAULT_PASSWORD_ITERATIONS, true,
                1_000, 16_384, 5_000, 1 << 20, Duration.ofSeconds(15), Duration.ofSeconds(10),
                Math.max(2, Runtime.getRuntime().availableProcessors()), DEFAULT_MAX_DEVICES, 1_000, 100, 2_000,
                DEFAULT_DRAIN_TIMEOUT, DEFAULT_EDIT_WINDOW, DEFAULT_RECALL_WINDOW, DEFAULT_PRESENCE_SETTLE,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Settings for tests: a free loopback port, in-memory store, cheap hashing. */
    public static ImServerSettings forTests() {
        return defaults().withHost("127.0.0.1").withPort(0).withStore("memory").withPasswordIterations(1_000);
    }

    public ImServerSettings withHost(String value) {
        return toBuilder().host(value).build();
    }

    public ImServerSettings withPort(int value) {
        return toBuilder().port(value).build();
    }

    public ImServerSettings withStore(String value) {
        return toBuilder().store(value).build();
    }

    public ImServerSettings withDataDir(Path value) {
        return toBuilder().dataDir(value).build();
    }

    /** The PostgreSQL store on the database {@code value} describes. */
    public ImServerSettings withPostgres(PostgresOptions value) {
        return toBuilder().store("postgres").postgres(Optional.of(value)).build();
    }

    public ImServerSettings withPasswordIterations(int value) {
        return toBuilder().passwordIterations(value).build();
    }

    public ImServerSettings withOpenRegistration(boolean value) {
        return toBuilder().openRegistration(value).build();
    }

    public ImServerSettings withMessagesPerSecond(int value) {
        return toBuilder().messagesPerSecond(value).build();
    }

    public ImServerSettings withLimits(int messageLength, int groupSize, int bodyLength) {
        return toBuilder().maxMessageLength(messageLength).maxGroupSize(groupSize).maxBodyLength(bodyLength).build();
    }

    public ImServerSettings withTimeouts(Duration readerIdle, Duration auth) {
        return toBuilder().readerIdleTimeout(readerIdle).authTimeout(auth).build();
    }

    public ImServerSettings withConnectionsPerIp(int maxOpen, int perSecond) {
        return toBuilder().maxConnectionsPerIp(maxOpen).connectionRatePerIp(perSecond).build();
    }

    public ImServerSettings withFramesPerSecond(int value) {
        return toBuilder().framesPerSecond(value).build();
    }

    public ImServerSettings withDrainTimeout(Duration value) {
        return toBuilder().drainTimeout(value).build();
    }

    public ImServerSettings withChangeWindows(Duration edit, Duration recall) {
        return toBuilder().editWindow(edit).recallWindow(recall).build();
    }

    public ImServerSettings withPresenceSettle(Duration value) {
        return toBuilder().presenceSettle(value).build();
    }

    public ImServerSettings withMaxDevices(int value) {
        return toBuilder().maxDevices(value).build();
    }

    public ImServerSettings withHashThreads(int value) {
        return toBuilder().hashThreads(value).build();
    }

    /** Turns the admin listener on with these settings. */
    public ImServerSettings withAdmin(AdminSettings value) {
        return toBuilder().admin(Optional.of(value)).build();
    }

    /** Serves TLS with this certificate. */
    public ImServerSettings withTls(ServerTls value) {
        return toBuilder().tls(Optional.of(value)).build();
    }

    /** Turns the web listener (WebSocket endpoint and web client) on with these settings. */
    public ImServerSettings withWeb(WebSettings value) {
        return toBuilder().web(Optional.of(value)).build();
    }

    /** Runs this server as a node of a cluster with these settings. */
    public ImServerSettings withCluster(ClusterSettings value) {
        return toBuilder().cluster(Optional.of(value)).build();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable copy of the settings for changing several at once; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private String host;
        private int port;
        private String store;
        private Path dataDir;
        private Optional<PostgresOptions> postgres;
        private int passwordIterations;
        private boolean openRegistration;
        private int messagesPerSecond;
        private int maxMessageLength;
        private int maxGroupSize;
        private int maxBodyLength;
        private Duration readerIdleTimeout;
        private Duration authTimeout;
        private int hashThreads;
        private int maxDevices;
        private int maxConnectionsPerIp;
        private int connectionRatePerIp;
        private int framesPerSecond;
        private Duration drainTimeout;
        private Duration editWindow;
        private Duration recallWindow;
        private Duration presenceSettle;
        private Optional<AdminSettings> admin;
        private Optional<ServerTls> tls;
        private Optional<WebSettings> web;
        private Optional<ClusterSettings> cluster;

        private Builder(ImServerSettings from) {
            host = from.host;
            port = from.port;
            store = from.store;
            dataDir = from.dataDir;
            postgres = from.postgres;
            passwordIterations = from.passwordIterations;
            openRegistration = from.openRegistration;
            messagesPerSecond = from.messagesPerSecond;
            maxMessageLength = from.maxMessageLength;
            maxGroupSize = from.maxGroupSize;
            maxBodyLength = from.maxBodyLength;
            readerIdleTimeout = from.readerIdleTimeout;
            authTimeout = from.authTimeout;
            hashThreads = from.hashThreads;
            maxDevices = from.maxDevices;
            maxConnectionsPerIp = from.maxConnectionsPerIp;
            connectionRatePerIp = from.connectionRatePerIp;
            framesPerSecond = from.framesPerSecond;
            drainTimeout = from.drainTimeout;
            editWindow = from.editWindow;
            recallWindow = from.recallWindow;
            presenceSettle = from.presenceSettle;
            admin = from.admin;
            tls = from.tls;
            web = from.web;
            cluster = from.cluster;
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder store(String value) {
            store = value;
            return this;
        }

        public Builder dataDir(Path value) {
            dataDir = value;
            return this;
        }

        public Builder postgres(Optional<PostgresOptions> value) {
            postgres = value;
            return this;
        }

        public Builder passwordIterations(int value) {
            passwordIterations = value;
            return this;
        }

        public Builder openRegistration(boolean value) {
            openRegistration = value;
            return this;
        }

        public Builder messagesPerSecond(int value) {
            messagesPerSecond = value;
            return this;
        }

        public Builder maxMessageLength(int value) {
            maxMessageLength = value;
            return this;
        }

        public Builder maxGroupSize(int value) {
            maxGroupSize = value;
            return this;
        }

        public Builder maxBodyLength(int value) {
            maxBodyLength = value;
            return this;
        }

        public Builder readerIdleTimeout(Duration value) {
            readerIdleTimeout = value;
            return this;
        }

        public Builder authTimeout(Duration value) {
            authTimeout = value;
            return this;
        }

        public Builder hashThreads(int value) {
            hashThreads = value;
            return this;
        }

        public Builder maxDevices(int value) {
            maxDevices = value;
            return this;
        }

        public Builder maxConnectionsPerIp(int value) {
            maxConnectionsPerIp = value;
            return this;
        }

        public Builder connectionRatePerIp(int value) {
            connectionRatePerIp = value;
            return this;
        }

        public Builder framesPerSecond(int value) {
            framesPerSecond = value;
            return this;
        }

        public Builder editWindow(Duration value) {
            editWindow = value;
            return this;
        }

        public Builder recallWindow(Duration value) {
            recallWindow = value;
            return this;
        }

        public Builder drainTimeout(Duration value) {
            drainTimeout = value;
            return this;
        }

        public Builder presenceSettle(Duration value) {
            presenceSettle = value;
            return this;
        }

        public Builder admin(Optional<AdminSettings> value) {
            admin = value;
            return this;
        }

        public Builder tls(Optional<ServerTls> value) {
            tls = value;
            return this;
        }

        public Builder cluster(Optional<ClusterSettings> value) {
            cluster = value;
            return this;
        }

        public Builder web(Optional<WebSettings> value) {
            web = value;
            return this;
        }

        public ImServerSettings build() {
            return new ImServerSettings(host, port, store, dataDir, postgres, passwordIterations, openRegistration,
                    messagesPerSecond, maxMessageLength, maxGroupSize, maxBodyLength, readerIdleTimeout,
                    authTimeout, hashThreads, maxDevices, maxConnectionsPerIp, connectionRatePerIp, framesPerSecond,
                    drainTimeout, editWindow, recallWindow, presenceSettle, admin, tls, web, cluster);
        }
    }
}
