package dev.switchboard.bench.target;

import java.net.InetSocketAddress;
import java.util.Optional;

/** A server under test, started (or merely located) for one run; {@link #close()} stops what was started. */
public interface BenchTarget extends AutoCloseable {

    /** A short label for tables: "external", "baseline", "child (sqlite)". */
    String label();

    /** Where clients connect: the first (or only) server. */
    InetSocketAddress address();

    /** Every server clients spread over, {@link #address()} first: one unless the target is a cluster. */
    default ServerAddresses addresses() {
        return ServerAddresses.of(address());
    }

    /** Where the server's admin listener answers {@code POST /gc} and {@code GET /stats}, if it has one. */
    default Optional<InetSocketAddress> adminAddress() {
        return Optional.empty();
    }

    /** Whether the server runs in this JVM (and so shares its file descriptors, heap and threads). */
    boolean inProcess();

    @Override
    void close();
}
