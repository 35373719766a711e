package dev.switchboard.im.bench.target;

import java.net.InetSocketAddress;

/** A server under test, started (or merely located) for one run; {@link #close()} stops what was started. */
public interface BenchTarget extends AutoCloseable {

    /** A short label for tables: "external", "baseline", "child (sqlite)". */
    String label();

    /** Where clients connect. */
    InetSocketAddress address();

    /** Whether the server runs in this JVM (and so shares its file descriptors, heap and threads). */
    boolean inProcess();

    @Override
    void close();
}
