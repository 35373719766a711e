package dev.switchboard.framework;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** How a {@link Client} is built; see {@link Switchboard#client}. Not thread-safe: configure, then connect. */
public final class ClientConfig extends ProtocolConfig<ClientConfig> {

    String host = "127.0.0.1";
    int port = -1;
    final List<ServerAddress> failovers = new ArrayList<>();
    Integer version;
    Integer serializerId;
    Duration heartbeatInterval = Duration.ofSeconds(5);
    Supplier<Object> heartbeat;
    boolean reconnect = true;
    Duration reconnectMin = Duration.ofMillis(200);
    Duration reconnectMax = Duration.ofSeconds(30);
    Duration connectTimeout = Duration.ofSeconds(5);
    Duration requestTimeout = Duration.ofSeconds(10);
    ClientTls tls; // null: plaintext
    Consumer<Connection> onConnect = connection -> {};
    Consumer<Connection> onDisconnect = connection -> {};

    ClientConfig() {}

    /** The server's host (default 127.0.0.1). */
    public ClientConfig host(String host) {
        this.host = requireNonNull(host, "host");
        return this;
    }

    /** The server's port. Required. */
    public ClientConfig port(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port outside 1..65535: " + port);
        }
        this.port = port;
        return this;
    }

    /**
     * Another server of the same service, tried when the current one cannot be reached: the first connect goes down
     * the list ({@link #host}/{@link #port} first, then these in the order added) until one answers, and each failed
     * reconnect attempt moves on to the next, round the list. For a cluster's nodes; a client that resumes its
     * session (a token, a last seq) keeps it across them.
     */
    public ClientConfig failover(String host, int port) {
        requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port outside 1..65535: " + port);
        }
        failovers.add(new ServerAddress(host, port));
        return this;
    }

    /** The servers to try, in order: the primary, then the failovers. */
    List<ServerAddress> servers() {
        List<ServerAddress> all = new ArrayList<>(failovers.size() + 1);
        all.add(new ServerAddress(host, port));
        all.addAll(failovers);
        return List.copyOf(all);
    }

    /** A server's host and port. */
    record ServerAddress(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** The protocol version byte this client writes (default: the wire format's default). */
    public ClientConfig version(int version) {
        this.version = version;
        return this;
    }

    /** The serializer this client writes with (default: the wire format's default). */
    public ClientConfig serializer(int serializerId) {
        this.serializerId = serializerId;
        return this;
    }

    /** Send {@code packet.get()} whenever nothing was written for {@code interval} (default 5 s). */
    public ClientConfig heartbeat(Duration interval, Supplier<Object> packet) {
        this.heartbeatInterval = requireNonNull(interval, "interval");
        this.heartbeat = requireNonNull(packet, "packet");
        return this;
    }

    /** Reconnect after a lost connection, waiting from {@code min} doubling up to {@code max} (with jitter). */
    public ClientConfig reconnect(Duration min, Duration max) {
        this.reconnect = true;
        this.reconnectMin = requireNonNull(min, "min");
        this.reconnectMax = requireNonNull(max, "max");
        return this;
    }

    /** Do not reconnect after a lost connection. */
    public ClientConfig noReconnect() {
        this.reconnect = false;
        return this;
    }

    /**
     * Speak TLS, trusting the server certificates {@code settings} says (default: plaintext). Each connect then
     * completes only after the handshake.
     */
    public ClientConfig tls(ClientTls settings) {
        this.tls = requireNonNull(settings, "tls");
        return this;
    }

    /** Timeout of a TCP connect attempt (default 5 s), and with TLS of the handshake after it. */
    public ClientConfig connectTimeout(Duration timeout) {
        this.connectTimeout = requireNonNull(timeout, "connectTimeout");
        return this;
    }

    /** Default timeout of {@link Client#request} (default 10 s). */
    public ClientConfig requestTimeout(Duration timeout) {
        this.requestTimeout = requireNonNull(timeout, "requestTimeout");
        return this;
    }

    /**
     * Called on every successful connect, first and re-connects, on the event loop: the place to log in (again).
     * Must not block; use {@link Connection#send} or {@link Client#request} and react to the stage.
     */
    public ClientConfig onConnect(Consumer<Connection> callback) {
        this.onConnect = requireNonNull(callback, "onConnect");
        return this;
    }

    /** Called when a connection is lost or closed, on the event loop. */
    public ClientConfig onDisconnect(Consumer<Connection> callback) {
        this.onDisconnect = requireNonNull(callback, "onDisconnect");
        return this;
    }
}
