package dev.switchboard.bench.target;

import java.time.Duration;
import java.util.List;

/**
 * How to reach or start a target.
 *
 * @param host the host clients connect to (loopback only), and the host started servers bind
 * @param port the external server's port; ignored for started servers, which take a free port
 * @param servers the external servers, instead of {@code host} and {@code port}; null for one
 * @param adminPort the external server's admin listener port, or null; started servers take a free one
 * @param store the child IM server's store: memory, sqlite or postgres (on a started PostgreSQL unless
 *     {@code serverArgs} name one with {@code --postgres})
 * @param nodes the nodes of a cluster target
 * @param imServerClasspath the child IM server's class path: its jar ({@code --server-jar}, checked by
 *     {@link TargetLauncher#imServerJar}), or a class path that holds the server, as a test's does
 * @param serverJvmOptions JVM options for child servers, such as {@code -Xmx1g}
 * @param serverArgs extra arguments for a child IM server, after the bench's own
 * @param readyTimeout how long a child server may take to print its ready line
 * @param keepData leave a child server's data directory behind
 */
public record TargetOptions(String host, Integer port, ServerAddresses servers, Integer adminPort, String store,
        int nodes, String imServerClasspath, List<String> serverJvmOptions, List<String> serverArgs,
        Duration readyTimeout, boolean keepData) {

    public TargetOptions {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes < 1: " + nodes);
        }
        serverJvmOptions = List.copyOf(serverJvmOptions);
        serverArgs = List.copyOf(serverArgs);
    }

    /** One server to start or reach, on {@code store}, with defaults for the rest. */
    public static TargetOptions child(String store, String imServerClasspath, List<String> serverJvmOptions,
            Duration readyTimeout) {
        return new TargetOptions("127.0.0.1", null, null, null, store, 1, imServerClasspath, serverJvmOptions,
                List.of(), readyTimeout, false);
    }

    /** These options with another store. */
    public TargetOptions withStore(String other) {
        return new TargetOptions(host, port, servers, adminPort, other, nodes, imServerClasspath, serverJvmOptions,
                serverArgs, readyTimeout, keepData);
    }

    /** These options with another number of cluster nodes. */
    public TargetOptions withNodes(int other) {
        return new TargetOptions(host, port, servers, adminPort, store, other, imServerClasspath, serverJvmOptions,
                serverArgs, readyTimeout, keepData);
    }

    /** Whether the extra server arguments name a PostgreSQL database of their own. */
    boolean namesPostgres() {
        return serverArgs.stream().anyMatch(arg -> arg.equals("--postgres") || arg.startsWith("--postgres="));
    }
}
