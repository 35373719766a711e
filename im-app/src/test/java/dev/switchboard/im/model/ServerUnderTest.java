package dev.switchboard.im.model;

/** The server a run talks to, on a loopback port that changes at each restart. */
interface ServerUnderTest extends AutoCloseable {

    int port();

    /** Stops the server (gracefully, or by SIGKILL) and starts it again on the same data; returns once ready. */
    void restart(boolean kill) throws Exception;

    @Override
    void close();
}
