package dev.switchboard.im.client;

import dev.switchboard.framework.ClientTls;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one client run needs, resolved from the command line (password included).
 *
 * @param host the server's host
 * @param port the server's port
 * @param user the account name
 * @param password the password (never printed)
 * @param version the protocol version, 1 or 2
 * @param serializerId the framework serializer id to write with
 * @param reconnectMin first reconnect delay, doubling up to {@code reconnectMax}
 * @param reconnectMax longest reconnect delay
 * @param requestTimeout how long a login waits for its answer
 * @param drainTimeout how long the client waits for outstanding replies and acks before it exits
 * @param tls which server certificates to trust, or empty for plaintext
 * @param failovers more servers (cluster nodes) to try, in order, when the current one cannot be reached
 */
record ClientSettings(String host, int port, String user, String password, int version, int serializerId,
        Duration reconnectMin, Duration reconnectMax, Duration requestTimeout, Duration drainTimeout,
        Optional<ClientTls> tls, List<InetSocketAddress> failovers) {

    ClientSettings {
        failovers = List.copyOf(failovers);
    }

    /** Settings with the command-line defaults for everything but the connection and account. */
    static ClientSettings of(String host, int port, String user, String password, int version, int serializerId) {
        return new ClientSettings(host, port, user, password, version, serializerId, Duration.ofMillis(500),
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(2), Optional.empty(), List.of());
    }

    /** Whether the version-2 additions (seq, acks, tokens, clientMsgId, names) are in use. */
    boolean v2() {
        return version >= 2;
    }

    /** The same settings with another password. */
    ClientSettings withPassword(String newPassword) {
        return new ClientSettings(host, port, user, newPassword, version, serializerId, reconnectMin, reconnectMax,
                requestTimeout, drainTimeout, tls, failovers);
    }

    /** The same settings with more servers to fail over to. */
    ClientSettings withFailovers(List<InetSocketAddress> value) {
        return new ClientSettings(host, port, user, password, version, serializerId, reconnectMin, reconnectMax,
                requestTimeout, drainTimeout, tls, value);
    }

    /** The same settings with other timings, for tests. */
    ClientSettings withTimings(Duration newReconnectMin, Duration newRequestTimeout, Duration newDrainTimeout) {
        return new ClientSettings(host, port, user, password, version, serializerId, newReconnectMin,
                reconnectMax, newRequestTimeout, newDrainTimeout, tls, failovers);
    }

    /** The same settings with TLS trusting what {@code value} says, or plaintext if null. */
    ClientSettings withTls(ClientTls value) {
        return new ClientSettings(host, port, user, password, version, serializerId, reconnectMin, reconnectMax,
                requestTimeout, drainTimeout, Optional.ofNullable(value), failovers);
    }

    @Override
    public String toString() {
        return "ClientSettings[" + user + "@" + host + ":" + port
                + (failovers.isEmpty() ? "" : " then " + failovers) + " v" + version + " serializer " + serializerId
                + tls.map(t -> " " + t).orElse("") + "]";
    }
}
