package dev.switchboard.bench.target;

import java.time.Duration;
import java.util.List;

/**
 * How to reach or start a target.
 *
 * @param host the host clients connect to (loopback only)
 * @param port the external server's port; ignored for started servers, which take a free port
 * @param adminPort the external server's admin listener port, or null; started servers take a free one
 * @param store the child IM server's store: memory or sqlite
 * @param imServerClasspath the child IM server's class path: its jar ({@code --server-jar}, checked by
 *     {@link TargetLauncher#imServerJar}), or a class path that holds the server, as a test's does
 * @param serverJvmOptions JVM options for child servers, such as {@code -Xmx1g}
 * @param serverArgs extra arguments for a child IM server, after the bench's own
 * @param readyTimeout how long a child server may take to print its ready line
 * @param keepData leave a child server's data directory behind
 */
public record TargetOptions(String host, Integer port, Integer adminPort, String store, String imServerClasspath,
        List<String> serverJvmOptions, List<String> serverArgs, Duration readyTimeout, boolean keepData) {

    public TargetOptions {
        serverJvmOptions = List.copyOf(serverJvmOptions);
        serverArgs = List.copyOf(serverArgs);
    }
}
