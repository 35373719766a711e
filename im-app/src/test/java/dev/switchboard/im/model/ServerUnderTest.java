package dev.switchboard.im.model;

import dev.switchboard.im.testing.AdminStats;

/** The server a run talks to, on a loopback port that changes at each restart. */
interface ServerUnderTest extends AutoCloseable {

    int port();

    /** The port for a slot's sockets: on a cluster, the node that {@link Op.KillNode#holds holds} the slot. */
    default int port(int slot) {
        return port();
    }

    /** SIGKILLs one node of a cluster and starts it again; only the sockets on that node close. */
    default void killNode(int node) throws Exception {
        throw new UnsupportedOperationException("not a cluster of separate processes");
    }

    /** The chat connections the server counts as open, from its admin listener. */
    default long openConnections() throws Exception {
        return AdminStats.fetch(adminPort()).connections();
    }

    /** The admin listener's port, which changes at each restart too. */
    int adminPort();

    /** Stops the server (gracefully, or by SIGKILL) and starts it again on the same data; returns once ready. */
    void restart(boolean kill) throws Exception;

    @Override
    void close();
}
