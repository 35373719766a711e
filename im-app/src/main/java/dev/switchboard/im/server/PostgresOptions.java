package dev.switchboard.im.server;

import java.util.Objects;

/**
 * Where the PostgreSQL store ({@code --store postgres}) connects: the options of the server command, kept apart
 * from the store's own settings so that only {@link ImServer} knows the store implementations. {@link #toString()}
 * never prints the password.
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port/database}
 * @param user the role to log in as, or {@code null} for the URL's (or the driver's default)
 * @param password its password, or {@code null}
 * @param poolSize connections the store's pool keeps at most
 */
public record PostgresOptions(String jdbcUrl, String user, String password, int poolSize) {

    /** Connections per node by default: the writer's one, and spares for a replacement and the readiness check. */
    public static final int DEFAULT_POOL_SIZE = 4;

    public PostgresOptions {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--postgres takes a JDBC URL starting with jdbc:postgresql:");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("the PostgreSQL pool size must be at least 1: " + poolSize);
        }
    }

    /** The URL without its query string (which may hold a password), for logs and the ready line. */
    public String where() {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    @Override
    public String toString() {
        return "PostgresOptions[" + where() + ", user=" + user + ", password=" + (password == null ? "none" : "****")
                + ", poolSize=" + poolSize + "]";
    }
}
