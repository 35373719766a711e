package dev.switchboard.bench.target;

import java.io.IOException;

/**
 * A target that can be killed without warning and started again on the same data and address, as a crashed
 * server is restarted by its supervisor. Clients keep the {@link #address()} across restarts.
 *
 * <p>Threading: one thread at a time calls {@link #kill()}, {@link #restart()} and {@link #close()}.
 */
public interface RestartableTarget extends BenchTarget {

    /**
     * Kills the server without letting it run any shutdown code (SIGKILL on Linux) and waits until it is gone,
     * so its files and port are free.
     */
    void kill();

    /** Starts the server again on the same data and port, and waits until it is ready. */
    void restart() throws IOException, InterruptedException;
}
