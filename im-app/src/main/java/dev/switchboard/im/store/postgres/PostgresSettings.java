package dev.switchboard.im.store.postgres;

import dev.switchboard.im.store.StoreOverloadedException;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of {@link PostgresStorage}. Start from {@link #of(String)} and adjust with the {@code with...}
 * methods. {@link #toString()} never prints the password.
 *
 * @param jdbcUrl the database, such as {@code jdbc:postgresql://db.example:5432/switchboard}
 * @param user the role to log in as; {@code null} to take it from the URL (or the driver's default)
 * @param password its password; {@code null} for none (or one given in the URL)
 * @param poolSize connections the pool keeps at most. The writer uses one at a time; the others take over when one
 *     breaks and serve the readiness check. Default 4.
 * @param queueCapacity at most this many operations wait for the writer; more are rejected with
 *     {@link StoreOverloadedException}. Default 65,536.
 * @param maxBatchOps at most this many queued operations are committed in one transaction. Default 1000.
 * @param maxBatchRows a transaction takes no more operations once they will write about this many rows (inbox
 *     entries, mostly), so one batch of large group messages does not hold up every caller behind it. Default
 *     20,000.
 * @param connectionTimeout how long the writer waits for a connection (and a login) before the operations of the
 *     transaction fail. Default 5 s.
 * @param statementTimeout how long one statement may run (PostgreSQL's {@code statement_timeout}); also bounds
 *     waits for row locks another node holds. Default 30 s.
 */
public record PostgresSettings(String jdbcUrl, String user, String password, int poolSize, int queueCapacity,
                               int maxBatchOps, int maxBatchRows, Duration connectionTimeout,
                               Duration statementTimeout) {

    public PostgresSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("a PostgreSQL JDBC URL starts with jdbc:postgresql: , not "
                    + jdbcUrl.substring(0, Math.min(jdbcUrl.length(), 24)));
        }
        requireAtLeast("poolSize", poolSize, 1);
        requireAtLeast("queueCapacity", queueCapacity, 1);
        requireAtLeast("maxBatchOps", maxBatchOps, 1);
        requireAtLeast("maxBatchRows", maxBatchRows, 1);
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        // HikariCP refuses connection timeouts under 250 ms.
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connectionTimeout must be at least 250 ms: " + connectionTimeout);
        }
        if (statementTimeout.isNegative() || statementTimeout.isZero()) {
            throw new IllegalArgumentException("statementTimeout must be positive: " + statementTimeout);
        }
    }

    /** The defaults listed above, for the database at {@code jdbcUrl}. */
    public static PostgresSettings of(String jdbcUrl) {
        return new PostgresSettings(jdbcUrl, null, null, 4, 65_536, 1000, 20_000, Duration.ofSeconds(5),
                Duration.ofSeconds(30));
    }

    public PostgresSettings withCredentials(String user, String password) {
        return new PostgresSettings(jdbcUrl, user, password, poolSize, queueCapacity, maxBatchOps, maxBatchRows,
                connectionTimeout, statementTimeout);
    }

    public PostgresSettings withPoolSize(int poolSize) {
        return new PostgresSettings(jdbcUrl, user, password, poolSize, queueCapacity, maxBatchOps, maxBatchRows,
                connectionTimeout, statementTimeout);
    }

    public PostgresSettings withQueueCapacity(int queueCapacity) {
        return new PostgresSettings(jdbcUrl, user, password, poolSize, queueCapacity, maxBatchOps, maxBatchRows,
                connectionTimeout, statementTimeout);
    }

    public PostgresSettings withMaxBatchOps(int maxBatchOps) {
        return new PostgresSettings(jdbcUrl, user, password, poolSize, queueCapacity, maxBatchOps, maxBatchRows,
                connectionTimeout, statementTimeout);
    }

    public PostgresSettings withMaxBatchRows(int maxBatchRows) {
        return new PostgresSettings(jdbcUrl, user, password, poolSize, queueCapacity, maxBatchOps, maxBatchRows,
                connectionTimeout, statementTimeout);
    }

    public PostgresSettings withTimeouts(Duration connectionTimeout, Duration statementTimeout) {
        return new PostgresSettings(jdbcUrl, user, password, poolSize, queueCapacity, maxBatchOps, maxBatchRows,
                connectionTimeout, statementTimeout);
    }

    /** The URL without its query string, which may carry a password: for logs. */
    public String where() {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    @Override
    public String toString() {
        // Never print the password (nor the URL's query string, which may hold one): toString ends up in logs.
        return "PostgresSettings[" + where() + ", user=" + user + ", password=" + (password == null ? "none" : "****")
                + ", poolSize=" + poolSize + ", queueCapacity=" + queueCapacity + ", maxBatchOps=" + maxBatchOps
                + ", maxBatchRows=" + maxBatchRows + ", connectionTimeout=" + connectionTimeout
                + ", statementTimeout=" + statementTimeout + "]";
    }

    private static void requireAtLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ": " + value);
        }
    }
}
