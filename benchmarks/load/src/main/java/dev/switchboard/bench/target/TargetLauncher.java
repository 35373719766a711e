package dev.switchboard.bench.target;

import dev.switchboard.bench.baseline.BaselineRelayServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts (or locates) the target of a run. */
public final class TargetLauncher {

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

    /** Where the build puts the IM server's jar, relative to the repository root. */
    public static final String DEFAULT_IM_SERVER_JAR = "im-app/target/switchboard-im.jar";

    private TargetLauncher() {}

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
     * throwaway data directory.
     */
    static List<String> imServerArguments(TargetOptions options) {
        List<String> arguments = new ArrayList<>(List.of("server", "--host", options.host(), "--port", "{port}",
                "--store", options.store(), "--data-dir", "{dataDir}", "--password-iterations", PASSWORD_ITERATIONS,
                "--rate-limit", RATE_LIMIT, "--max-connections-per-ip", "0", "--connection-rate-per-ip", "0",
                "--frame-rate", "0", "--admin-port", "{adminPort}"));
        arguments.addAll(options.serverArgs());
        return arguments;
    }

    /**
     * Starts the target. Only loopback hosts are accepted: the load generator spreads connections over
     * 127.0.0.x source addresses, and it is not meant to load anything but this machine.
     */
    public static BenchTarget start(TargetKind kind, TargetOptions options) throws IOException, InterruptedException {
        InetAddress host = InetAddress.getByName(options.host());
        if (!host.isLoopbackAddress()) {
            throw new IllegalArgumentException("--host must be a loopback address (127.0.0.0/8 or ::1), not "
                    + options.host());
        }
        String ownClasspath = System.getProperty("java.class.path");
        long readySeconds = Math.max(1, options.readyTimeout().toSeconds());
        return switch (kind) {
            case EXTERNAL -> {
                if (options.port() == null) {
                    throw new IllegalArgumentException("--target external needs --port");
                }
                yield new ExternalTarget(new InetSocketAddress(host, options.port()),
                        options.adminPort() == null ? null : new InetSocketAddress(host, options.adminPort()));
            }
            case BASELINE -> new InProcessBaseline(options.host());
            case BASELINE_CHILD -> ChildServerTarget.start(new ChildServerTarget.Spec("baseline-child",
                    BaselineRelayServer.class.getName(), List.of("--host", options.host(), "--port", "{port}",
                            "--admin-port", "{adminPort}"),
                    ownClasspath, options.serverJvmOptions(), BaselineRelayServer.READY_PREFIX, readySeconds,
                    options.host(), options.keepData()));
            case CHILD -> ChildServerTarget.start(new ChildServerTarget.Spec("child (" + options.store() + ")",
                    IM_MAIN, imServerArguments(options), options.imServerClasspath(), options.serverJvmOptions(),
                    IM_READY_PREFIX, readySeconds, options.host(), options.keepData()));
        };
    }
}
