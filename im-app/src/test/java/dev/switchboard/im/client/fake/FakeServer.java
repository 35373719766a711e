package dev.switchboard.im.client.fake;

import dev.switchboard.framework.TestAccess;
import dev.switchboard.framework.Server;
import dev.switchboard.framework.Switchboard;

/** A fake IM server on a free loopback port; see {@link FakeHandlers}. */
public final class FakeServer implements AutoCloseable {

    private final Server server;
    private final FakeState state;

    private FakeServer(Server server) {
        this.server = server;
        this.state = TestAccess.instance(server, FakeState.class);
    }

    /** Starts a server scanning the protocol and this package only. */
    public static FakeServer start() {
        return new FakeServer(Switchboard.server(c -> c
                .scan("dev.switchboard.im.protocol", "dev.switchboard.im.client.fake")
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .shutdownHook(false)).start());
    }

    public int port() {
        return server.port();
    }

    public FakeState state() {
        return state;
    }

    /** Pushes a packet to the last logged-in connection. */
    public void push(Object packet) {
        state.connection().send(packet);
    }

    /** Closes the last logged-in connection, as a crashing server or network would. */
    public void dropConnection() {
        state.connection().close("test drops the connection");
    }

    @Override
    public void close() {
        server.close();
    }
}
