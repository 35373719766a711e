package dev.switchboard.bench.target;

import dev.switchboard.bench.baseline.BaselineRelayServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts (or locates) the targets of one bench command, one after another. The PostgreSQL and Redis that a cluster,
 * or a child on {@code --store postgres} without a database of its own, needs are started at the first such target
 * and shared by the later ones, each on a new database; {@link #close()} stops them, after the targets are closed.
 * One thread at a time.
 */
public final class TargetLauncher implements AutoCloseable {

    /** The IM server's entry point and the line it prints once listening. */
    static final String IM_MAIN = "dev.switchboard.im.Main";
    static final String IM_READY_PREFIX = "Switchboard IM server ready on ";
    /** Cheap hashing in child servers, so login benchmarks measure the server rather than PBKDF2. */
    static final String PASSWORD_ITERATIONS = "1000";
    /**
     * No per-connection request limit in child servers: the default (1000/s) would cap every sender and turn the
     * benchmark into a measurement of the limiter. The frame rate and the per-address connection limits are off for
     * the same reason (the generator opens thousands of connections from a few loopback addresses).
     */
    static final String RATE_LIMIT = "0";
    /** The store of every cluster node. */
    static final String POSTGRES = "postgres";

    /** Where the build puts the IM server's jar, relative to the repository root. */
    public static final String DEFAULT_IM_SERVER_JAR = "im-app/target/switchboard-im.jar";

    private final TargetOptions options;
    private ClusterServices services;

    /** Checks the host now; starts nothing yet. */
    public TargetLauncher(TargetOptions options) throws UnknownHostException {
        InetAddress host = InetAddress.getByName(options.host());
        if (!host.isLoopbackAddress()) {
            throw new IllegalArgumentException("--host must be a loopback address (127.0.0.0/8 or ::1), not "
                    + options.host());
        }
        this.options = options;
    }

    /**
     * The class path of a child IM server started from its shaded jar: the jar's absolute path. The server is not
     * on this JVM's class path (the load generator ships without it), so a child IM server needs the jar.
     *
     * @param jar the jar, relative to the working directory unless absolute
     * @throws IllegalArgumentException naming the path and how to build it, if there is no such file
     */
    public static String imServerJar(Path jar) {
        Path absolute = jar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new IllegalArgumentException("IM server jar not found: " + absolute + " (--server-jar " + jar
                    + ", relative to the working directory). Build it with 'mvn -B -q package -DskipTests' in the"
                    + " repository root and run from there, or pass --server-jar PATH");
        }
        return absolute.toString();
    }

    /**
     * The child IM server's command line: a free loopback port at first (the same one after a restart), a
     * throwaway data directory (where {@code server.log} goes, whatever the store).
     */
    static List<String> imServerArguments(TargetOptions options) {
        return imServerArguments(options, List.of());
    }

    /** The same with {@code more} (a database, cluster flags) before the user's {@code --server-arg}s. */
    static List<String> imServerArguments(TargetOptions options, List<String> more) {
        List<String> arguments = new ArrayList<>(List.of("server", "--host", options.host(), "--port", "{port}",
                "--store", options.store(), "--data-dir", "{dataDir}", "--password-iterations", PASSWORD_ITERATIONS,
                "--rate-limit", RATE_LIMIT, "--max-connections-per-ip", "0", "--connection-rate-per-ip", "0",
                "--frame-rate", "0", "--admin-port", "{adminPort}"));
        arguments.addAll(more);
        arguments.addAll(options.serverArgs());
        return arguments;
    }

    /** A cluster node's arguments: node {@code nodeId} on {@code database} and the services' Redis. */
    static List<String> clusterNodeArguments(TargetOptions options, String nodeId, String database, URI redis) {
        return imServerArguments(options.withStore(POSTGRES), List.of("--postgres", database, "--cluster",
                "--node-id", nodeId, "--redis", redis.toString()));
    }

    /** Starts a target of this kind on the options' store. */
    public BenchTarget start(TargetKind kind) throws IOException, InterruptedException {
        return start(kind, options.store());
    }

    /**
     * Starts a target of this kind on {@code store} (the store of a child; a cluster is always on PostgreSQL).
     * Only loopback hosts are accepted: the load generator spreads connections over 127.0.0.x source addresses,
     * and it is not meant to load anything but this machine.
     */
    public BenchTarget start(TargetKind kind, String store) throws IOException, InterruptedException {
        TargetOptions target = options.withStore(store);
        String ownClasspath = System.getProperty("java.class.path");
        long readySeconds = Math.max(1, target.readyTimeout().toSeconds());
        return switch (kind) {
            case EXTERNAL -> external(target);
            case BASELINE -> new InProcessBaseline(target.host());
            case BASELINE_CHILD -> ChildServerTarget.start(new ChildServerTarget.Spec("baseline-child",
                    BaselineRelayServer.class.getName(), List.of("--host", target.host(), "--port", "{port}",
                            "--admin-port", "{adminPort}"),
                    ownClasspath, target.serverJvmOptions(), BaselineRelayServer.READY_PREFIX, readySeconds,
                    target.host(), target.keepData()));
            case CHILD -> ChildServerTarget.start(imServer("child (" + store + ")", target,
                    POSTGRES.equals(store) && !target.namesPostgres()
                            ? imServerArguments(target, List.of("--postgres", services().newDatabase("single")))
                            : imServerArguments(target)));
            case CLUSTER -> {
                String database = services().newDatabase("cluster");
                List<ChildServerTarget.Spec> specs = new ArrayList<>();
                for (int i = 1; i <= target.nodes(); i++) {
                    specs.add(imServer("node" + i, target,
                            clusterNodeArguments(target, "node" + i, database, services().redis())));
                }
                yield ClusterTarget.start(specs);
            }
        };
    }

    private static BenchTarget external(TargetOptions target) throws UnknownHostException {
        ServerAddresses servers = target.servers();
        if (servers == null) {
            if (target.port() == null) {
                throw new IllegalArgumentException("--target external needs --port or --servers");
            }
            servers = ServerAddresses.of(new InetSocketAddress(InetAddress.getByName(target.host()), target.port()));
        }
        InetSocketAddress first = servers.first();
        return new ExternalTarget(servers, target.adminPort() == null ? null
                : new InetSocketAddress(first.getAddress(), target.adminPort()));
    }

    private static ChildServerTarget.Spec imServer(String label, TargetOptions target, List<String> arguments) {
        return new ChildServerTarget.Spec(label, IM_MAIN, arguments, target.imServerClasspath(),
                target.serverJvmOptions(), IM_READY_PREFIX, Math.max(1, target.readyTimeout().toSeconds()),
                target.host(), target.keepData());
    }

    private ClusterServices services() throws IOException {
        if (services == null) {
            services = ClusterServices.start(options.readyTimeout(), options.keepData());
        }
        return services;
    }

    /** Stops the PostgreSQL and Redis if they were started; close the targets first. */
    @Override
    public void close() {
        if (services != null) {
            services.close();
            services = null;
        }
    }
}
