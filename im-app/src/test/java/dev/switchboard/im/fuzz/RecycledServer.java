package dev.switchboard.im.fuzz;

import dev.switchboard.framework.EmbeddedPipeline;
import dev.switchboard.im.server.ImServerSettings;

/**
 * The embedded IM server a fuzz target's executions share, started afresh every {@value #EXECUTIONS_PER_SERVER}
 * executions: its in-memory store only grows, and a fresh one keeps a long fuzzing run's memory flat. Not
 * thread-safe: a fuzz target runs on one thread.
 */
final class RecycledServer implements AutoCloseable {

    private static final int EXECUTIONS_PER_SERVER = 2_000;

    private final ImServerSettings settings;
    private EmbeddedPipeline server;
    private int executions;

    RecycledServer(ImServerSettings settings) {
        this.settings = settings;
    }

    /** The server for the next execution. */
    EmbeddedPipeline next() {
        if (server == null || executions++ % EXECUTIONS_PER_SERVER == 0) {
            close();
            server = EmbeddedImServer.start(settings);
        }
        return server;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
