package dev.switchboard.framework;

/**
 * Told when server connections open and close, e.g. to drop a user's session. Called on the connection's event
 * loop; must not block. Register with {@link ServerConfig#listener}.
 */
public interface ConnectionListener {

    /** A connection was accepted. */
    default void opened(Connection connection) {}

    /** A connection closed, for whatever reason. */
    default void closed(Connection connection) {}
}
