package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.BenchClientSettings;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The idle-connections run.
 *
 * @param connections logged-in connections to open
 * @param perSourceAddress connections per source address (127.0.0.2, 127.0.0.3, ...)
 * @param concurrency most connects and logins in flight
 * @param hold how long to keep them all open before measuring the server again
 * @param serverInProcess whether the server runs in this JVM, so every connection costs two file descriptors here
 * @param client wire settings, heartbeat included
 * @param admin the server's admin listener, which reports its connections and memory
 */
public record ConnectionsConfig(int connections, int perSourceAddress, int concurrency, Duration hold,
        boolean serverInProcess, BenchClientSettings client, InetSocketAddress admin) {

    public ConnectionsConfig {
        if (admin == null) {
            throw new IllegalArgumentException("the connections workload reads the server's heap and RSS from its"
                    + " admin listener: give --admin-port with --target external");
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections < 1: " + connections);
        }
        if (perSourceAddress < 1 || perSourceAddress > 28_000) {
            throw new IllegalArgumentException("perSourceAddress outside 1..28000 (the ephemeral port range): "
                    + perSourceAddress);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency < 1: " + concurrency);
        }
        if (hold.isNegative()) {
            throw new IllegalArgumentException("hold < 0: " + hold);
        }
    }

    /** How many source addresses the run binds. */
    public int sourceAddresses() {
        return (connections + perSourceAddress - 1) / perSourceAddress;
    }
}
