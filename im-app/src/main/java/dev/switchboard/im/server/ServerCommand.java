package dev.switchboard.im.server;

import dev.switchboard.im.FileOption;
import dev.switchboard.framework.AdminConfig;
import dev.switchboard.framework.ServerTls;
import dev.switchboard.framework.StartFailedException;
import dev.switchboard.im.server.cluster.ClusterSettings;
import dev.switchboard.im.server.config.EffectiveConfiguration;
import dev.switchboard.im.server.logging.LogFormat;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code server}: runs the IM server until SIGTERM or Ctrl-C, or until its storage fails (exit status 74).
 *
 * <p>Every option is also a key of the configuration file and an environment variable ({@code --max-group-size}:
 * {@code max-group-size}, {@code SWITCHBOARD_MAX_GROUP_SIZE}; see {@code config.ConfigDefaults}), with no list to
 * keep in step: an option added here is configurable at once. A boolean option takes an optional value
 * ({@code arity = "0..1"}), so that {@code --flag} means true whatever the file says and {@code --flag=false} can
 * override a file's true.
 */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run the IM server.")
public final class ServerCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

    @Option(names = "--config", paramLabel = "FILE", description = "Read options from this properties file, keys"
            + " being the long option names without dashes (max-group-size=100); SWITCHBOARD_* environment"
            + " variables (SWITCHBOARD_MAX_GROUP_SIZE) override it and flags override both.")
    Path config;

    @Option(names = "--log-format", paramLabel = "text|json", converter = LogFormat.Converter.class,
            description = "Log lines on standard error as text or as JSON lines (default: ${DEFAULT-VALUE}).")
    LogFormat logFormat = LogFormat.TEXT;

    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host = "0.0.0.0";

    @Option(names = "--port", description = "Port to bind, 0 for any free port (default: ${DEFAULT-VALUE}).")
    int port = 8000;

    @Option(names = "--store", description = "sqlite, postgres (needs --postgres) or memory (default: ${DEFAULT-VALUE}).")
    String store = "sqlite";

    @Option(names = "--postgres", paramLabel = "JDBC_URL", description = "The PostgreSQL store's database,"
            + " jdbc:postgresql://host:port/database; several servers may share it.")
    String postgresUrl;

    @Option(names = "--postgres-user", description = "The role the PostgreSQL store logs in as (default: the URL's).")
    String postgresUser;

    @Option(names = "--postgres-password", description = "That role's password (better in the environment,"
            + " SWITCHBOARD_POSTGRES_PASSWORD, or a config file than on the command line).")
    String postgresPassword;

    @Option(names = "--postgres-pool-size", description = "Connections the PostgreSQL store keeps at most"
            + " (default: ${DEFAULT-VALUE}).")
    int postgresPoolSize = PostgresOptions.DEFAULT_POOL_SIZE;

    @Option(names = "--data-dir", description = "SQLite data directory (default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of("data");

    @Option(names = "--password-iterations", description = "PBKDF2 iterations (default: ${DEFAULT-VALUE}).")
    int passwordIterations = ImServerSettings.DEFAULT_PASSWORD_ITERATIONS;

    @Option(names = "--closed-registration", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            description = "Refuse logins of unknown user names.")
    boolean closedRegistration;

    @Option(names = "--rate-limit", description = "Requests per second per connection, 0 = off (default: ${DEFAULT-VALUE}).")
    int rateLimit = 1_000;

    @Option(names = "--max-message-length", description = "Longest message in characters (default: ${DEFAULT-VALUE}).")
    int maxMessageLength = 16_384;

    @Option(names = "--max-group-size", description = "Most members per group (default: ${DEFAULT-VALUE}).")
    int maxGroupSize = 5_000;

    @Option(names = "--max-frame-body", description = "Largest frame body in bytes (default: ${DEFAULT-VALUE}).")
    int maxBody = 1 << 20;

    @Option(names = "--idle-timeout", description = "Close connections silent this long (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout = Duration.ofSeconds(15);

    @Option(names = "--auth-timeout", description = "Close connections not logged in within this (default: ${DEFAULT-VALUE}).")
    Duration authTimeout = Duration.ofSeconds(10);

    @Option(names = "--max-devices", description = "Connections one account may have logged in at once (default: ${DEFAULT-VALUE}).")
    int maxDevices = ImServerSettings.DEFAULT_MAX_DEVICES;

    @Option(names = "--max-connections-per-ip", description = "Connections one IP address may have open, 0 = no limit (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerIp = 1_000;

    @Option(names = "--connection-rate-per-ip", description = "New connections per second from one IP address, bursts of twice that, 0 = off (default: ${DEFAULT-VALUE}).")
    int connectionRatePerIp = 100;

    @Option(names = "--frame-rate", description = "Frames read per second per connection, bursts of twice that; over it reading slows down, 0 = off (default: ${DEFAULT-VALUE}).")
    int framesPerSecond = 2_000;

    @Option(names = "--drain-timeout", description = "On SIGTERM or POST /drain, how long requests in flight may "
            + "take before the connections close anyway (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout = ImServerSettings.DEFAULT_DRAIN_TIMEOUT;

    @Option(names = "--edit-window", description = "How long after sending an author may edit a message, 0 = never "
            + "(default: ${DEFAULT-VALUE}).")
    Duration editWindow = ImServerSettings.DEFAULT_EDIT_WINDOW;

    @Option(names = "--recall-window", description = "How long after sending an author may recall a message, 0 = "
            + "never (default: ${DEFAULT-VALUE}).")
    Duration recallWindow = ImServerSettings.DEFAULT_RECALL_WINDOW;

    @Option(names = "--presence-settle", description = "How long after a user's last device went they are "
            + "announced offline; a reconnect within it announces nothing, PT0S = at once (default: ${DEFAULT-VALUE}).")
    Duration presenceSettle = ImServerSettings.DEFAULT_PRESENCE_SETTLE;

    @Option(names = "--admin-port", description = "Serve statistics (/stats), Prometheus metrics (/metrics), health"
            + " and drain over HTTP on this port (0 = any free port); off unless given.")
    Integer adminPort;

    @Option(names = "--admin-host", description = "Address the admin listener binds (default: ${DEFAULT-VALUE}).")
    String adminHost = "127.0.0.1";

    @Option(names = "--admin-metrics", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            description = "Record metrics and serve them at /metrics on the admin listener (default: "
            + "${DEFAULT-VALUE}); false keeps health, stats and drain and records nothing.")
    boolean adminMetrics = true;

    @Option(names = "--admin-latency-sampling", paramLabel = "N", description = "The latency histograms (handler "
            + "latency, delivery lag) time one event in N, at random; 1 times every one (default: ${DEFAULT-VALUE}).")
    int adminLatencySampling = AdminSettings.DEFAULT_LATENCY_SAMPLING;

    @Option(names = "--admin-token-file", description = "File holding the bearer token the admin listener requires"
            + " (at least 16 characters).")
    Path adminTokenFile;

    @Option(names = "--web-port", description = "Serve the web client (static files) and its WebSocket endpoint"
            + " (" + WebSettings.SOCKET_PATH + ", the chat protocol in binary messages) on this port (0 = any free"
            + " port), with TLS when the chat port has it; off unless given.")
    Integer webPort;

    @Option(names = "--web-origin", paramLabel = "ORIGIN", split = ",", description = "Also let pages of this"
            + " origin (scheme://host[:port], such as https://chat.example.com) open the WebSocket; repeat it or"
            + " separate origins with commas. Always allowed: the web port's own pages, and programs that send no"
            + " Origin. Needs --web-port.")
    List<String> webOrigins;

    @Spec
    CommandSpec spec;

    @Option(names = "--hash-threads", description = "Threads for password hashing and other blocking work.")
    int hashThreads = Math.max(2, Runtime.getRuntime().availableProcessors());

    @Option(names = "--cluster", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            description = "Run as a node of a cluster (see docs/cluster.md): needs --store postgres, --node-id and"
            + " --redis.")
    boolean cluster;

    @Option(names = "--node-id", paramLabel = "ID", description = "This node's name in the cluster, unique:"
            + " 1 to 64 of A-Z a-z 0-9 . _ -.")
    String nodeId;

    @Option(names = "--redis", paramLabel = "URL", description = "The cluster's Redis, redis://host:port"
            + " (or rediss:// for TLS).")
    String redisUrl;

    @Option(names = "--cluster-heartbeat", description = "How often a node refreshes its liveness key in Redis"
            + " (default: ${DEFAULT-VALUE}).")
    Duration clusterHeartbeat = ClusterSettings.DEFAULT_HEARTBEAT;

    @Option(names = "--cluster-entry-ttl", description = "How long a node's liveness key outlives its last refresh:"
            + " a killed node's registry entries stop counting after it; at least two heartbeats"
            + " (default: ${DEFAULT-VALUE}).")
    Duration clusterEntryTtl = ClusterSettings.DEFAULT_ENTRY_TTL;

    @Option(names = "--cluster-catch-up", description = "How often a node checks the store for deliveries whose"
            + " notices were lost, the longest such a delivery waits (default: ${DEFAULT-VALUE}).")
    Duration clusterCatchUp = ClusterSettings.DEFAULT_CATCH_UP;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve TLS with this PEM certificate chain "
            + "(the server's certificate first, then intermediates); needs --tls-key.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The certificate's PEM private key, RSA or EC, "
            + "unencrypted (PKCS#8 'BEGIN PRIVATE KEY', or 'BEGIN RSA/EC PRIVATE KEY').")
    Path tlsKey;

    @Option(names = "--tls-self-signed", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            description = "Serve TLS with a certificate generated at start, which no "
            + "client can verify: for development (clients use --tls --insecure).")
    boolean tlsSelfSigned;

    // The build starts the server once with it to record the classes a start loads (the AppCDS archive).
    @Option(names = "--exit-when-ready", description = "Start, print the ready line and stop: to record a "
            + "class-data archive of a start (-XX:ArchiveClassesAtExit=FILE; see docs/operations.md).")
    boolean exitWhenReady;

    /**
     * Runs until the server stops. Exit status: 0 after a drain (SIGTERM or Ctrl-C, where the JVM then reports the
     * signal instead, or {@code POST /drain}), and
     * {@value ImServer#EXIT_STORAGE_FAILED} ({@link ImServer#EXIT_STORAGE_FAILED}) when the storage failed for good
     * and the server stopped itself. A server that cannot start at all ends with 1, saying why in one line.
     */
    @Override
    public Integer call() throws InterruptedException {
        logFormat.apply(); // before the first line
        log.info("{}", EffectiveConfiguration.of(spec));
        ServerTls tls = tls();
        ImServer server;
        try {
            server = ImServer.start(settings(tls));
        } catch (IllegalArgumentException refused) {
            // A value the options gave cannot be used, such as a certificate file that is not PEM: a usage error.
            throw new ParameterException(spec.commandLine(), refused.getMessage(), refused);
        } catch (StartFailedException failed) {
            // The operator's to fix (a port in use, a data directory another server holds, a database down), not a
            // bug: one line says what, and the stack trace is left to DEBUG.
            log.error("could not start: {}", failed.getMessage());
            log.debug("the start failed", failed);
            return CommandLine.ExitCode.SOFTWARE;
        }
        String where = ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + server.port();
        String admin = server.adminPort().isPresent()
                ? " admin on " + ("0.0.0.0".equals(adminHost) ? "127.0.0.1" : adminHost) + ":"
                        + server.adminPort().getAsInt()
                : "";
        String web = server.webPort().isPresent()
                ? " web on " + (tls == null ? "http://" : "https://") + ("0.0.0.0".equals(host) ? "127.0.0.1" : host)
                        + ":" + server.webPort().getAsInt() + "/"
                : "";
        System.out.println("Switchboard IM server ready on " + where + " (store=" + store
                + (store.equals("sqlite") ? ", data=" + dataDir.toAbsolutePath() : "")
                + (postgresUrl != null ? ", database=" + postgresUrl.split("\\?", 2)[0] : "")
                + (tls == null ? "" : tlsSelfSigned ? ", tls=self-signed" : ", tls=" + tlsCert)
                + (cluster ? ", node=" + nodeId : "") + ")" + admin + web);
        System.out.flush();
        if (exitWhenReady) {
            server.close();
            return 0;
        }
        return awaitExit(server);
    }

    /**
     * The settings the options describe; {@code tls}: the TLS choice, or null. Throws {@link ParameterException} or
     * {@link IllegalArgumentException} for options that do not fit together.
     */
    ImServerSettings settings(ServerTls tls) {
        Optional<PostgresOptions> postgres = Optional.empty();
        if (postgresUrl != null) {
            if (!store.equals("postgres")) {
                throw new ParameterException(spec.commandLine(), "--postgres needs --store postgres");
            }
            postgres = Optional.of(new PostgresOptions(postgresUrl, postgresUser, postgresPassword,
                    postgresPoolSize));
        }
        // The store and its database together: each alone is an invalid combination.
        ImServerSettings settings = ImServerSettings.defaults().toBuilder().store(store).postgres(postgres).build()
                .withHost(host).withPort(port).withDataDir(dataDir)
                .withPasswordIterations(passwordIterations).withOpenRegistration(!closedRegistration)
                .withMessagesPerSecond(rateLimit).withLimits(maxMessageLength, maxGroupSize, maxBody)
                .withTimeouts(idleTimeout, authTimeout).withHashThreads(hashThreads).withMaxDevices(maxDevices)
                .withConnectionsPerIp(maxConnectionsPerIp, connectionRatePerIp)
                .withFramesPerSecond(framesPerSecond).withDrainTimeout(drainTimeout)
                .withChangeWindows(editWindow, recallWindow)
                .withPresenceSettle(presenceSettle);
        if (tls != null) {
            settings = settings.withTls(tls);
        }
        if (webPort != null) {
            settings = settings.withWeb(web());
        } else if (webOrigins != null && !webOrigins.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--web-origin needs --web-port");
        }
        if (adminPort != null) {
            settings = settings.withAdmin(admin());
        } else if (adminTokenFile != null) {
            throw new ParameterException(spec.commandLine(), "--admin-token-file needs --admin-port");
        }
        if (cluster) {
            settings = settings.withCluster(clusterSettings());
        } else if (nodeId != null || redisUrl != null) {
            throw new ParameterException(spec.commandLine(), "--node-id and --redis need --cluster");
        }
        return settings;
    }

    private ClusterSettings clusterSettings() {
        if (!store.equals("postgres")) {
            // Nodes must share one store: SQLite is one process's, the memory store one process's heap.
            throw new ParameterException(spec.commandLine(), "--cluster needs --store postgres (the nodes share it)");
        }
        if (nodeId == null || redisUrl == null) {
            throw new ParameterException(spec.commandLine(), "--cluster needs --node-id and --redis");
        }
        try {
            return ClusterSettings.of(nodeId, URI.create(redisUrl))
                    .withIntervals(clusterHeartbeat, clusterEntryTtl, clusterCatchUp);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private WebSettings web() {
        if (webPort < 0 || webPort > 65_535) {
            throw new ParameterException(spec.commandLine(), "--web-port outside 0..65535: " + webPort);
        }
        return new WebSettings(webPort, webOrigins == null ? List.of() : webOrigins.stream().map(String::strip)
                .filter(origin -> !origin.isEmpty()).toList());
    }

    private AdminSettings admin() {
        if (adminPort < 0 || adminPort > 65_535) {
            throw new ParameterException(spec.commandLine(), "--admin-port outside 0..65535: " + adminPort);
        }
        if (adminLatencySampling < 1) {
            throw new ParameterException(spec.commandLine(), "--admin-latency-sampling must be at least 1: "
                    + adminLatencySampling);
        }
        AdminSettings admin = new AdminSettings(adminHost, adminPort, Optional.empty(), adminMetrics,
                adminLatencySampling);
        if (adminTokenFile == null) {
            return admin;
        }
        String token;
        try {
            token = Files.readString(adminTokenFile).strip();
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read --admin-token-file " + adminTokenFile
                    + ": " + e.getMessage());
        }
        if (token.length() < AdminConfig.MIN_TOKEN_LENGTH) {
            throw new ParameterException(spec.commandLine(), "the admin token in " + adminTokenFile
                    + " must be at least " + AdminConfig.MIN_TOKEN_LENGTH + " characters");
        }
        return admin.withToken(token);
    }

    /** The TLS choice of the options, or null for plaintext; a usage error names a missing or unreadable file. */
    private ServerTls tls() {
        if (tlsSelfSigned && (tlsCert != null || tlsKey != null)) {
            throw new ParameterException(spec.commandLine(),
                    "--tls-self-signed and --tls-cert/--tls-key are mutually exclusive");
        }
        if (tlsSelfSigned) {
            return ServerTls.selfSigned();
        }
        if (tlsCert == null && tlsKey == null) {
            return null;
        }
        if (tlsCert == null || tlsKey == null) {
            throw new ParameterException(spec.commandLine(), tlsCert == null ? "--tls-key needs --tls-cert"
                    : "--tls-cert needs --tls-key");
        }
        FileOption.requireReadable(spec.commandLine(), "--tls-cert", tlsCert);
        FileOption.requireReadable(spec.commandLine(), "--tls-key", tlsKey);
        return ServerTls.pem(tlsCert, tlsKey);
    }

    /** Waits for {@code server} to stop and returns the command's exit status for the reason it stopped. */
    static int awaitExit(ImServer server) throws InterruptedException {
        return server.awaitStop().exitCode();
    }
}
