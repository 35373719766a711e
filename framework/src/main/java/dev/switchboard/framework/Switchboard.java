package dev.switchboard.framework;

import java.util.function.Consumer;

/**
 * The entry point: configure a server or client, then start it.
 *
 * <pre>{@code
 * Server server = Switchboard.server(c -> c
 *         .scan("com.example.chat")
 *         .modules(new ChatModule())
 *         .port(8000))
 *     .start();
 * }</pre>
 */
public final class Switchboard {

    private Switchboard() {}

    /** A server configured by {@code config}; call {@link Server#start()} to run it. */
    public static Server server(Consumer<ServerConfig> config) {
        ServerConfig settings = new ServerConfig();
        config.accept(settings);
        return new Server(settings);
    }

    /** A client configured by {@code config}; call {@link Client#connect()} to connect. */
    public static Client client(Consumer<ClientConfig> config) {
        ClientConfig settings = new ClientConfig();
        config.accept(settings);
        return new Client(settings);
    }
}
