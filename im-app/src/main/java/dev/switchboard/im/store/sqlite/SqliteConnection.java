package dev.switchboard.im.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.sqlite.SQLiteConfig;

/**
 * The store's one JDBC connection with its prepared statements, cached by SQL text. Confined to one thread at a
 * time: {@link SqliteStorage#start()} opens and migrates it, then hands it to the writer thread for good.
 *
 * <p>After {@link #open} the connection is outside auto-commit: every statement joins the current transaction until
 * {@link #commit()}.
 */
final class SqliteConnection implements AutoCloseable {

    /** Page cache per connection, in KiB (negative = KiB for SQLite): the whole hot inbox index fits. */
    private static final int CACHE_KIB = 32 * 1024;

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private int rowsWritten;

    private SqliteConnection(Connection connection) {
        this.connection = connection;
    }

    /** Opens {@code file} (creating it if absent) in WAL mode with synchronous=FULL and foreign keys on. */
    static SqliteConnection open(Path file, Duration busyTimeout) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        // The driver otherwise runs "SELECT last_insert_rowid()" after every insert; ids are assigned here anyway.
        config.setGetGeneratedKeys(false);
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(),
                config.toProperties());
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = " + busyTimeout.toMillis());
                try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
                    String journalMode = mode.next() ? mode.getString(1) : "unknown";
                    if (!"wal".equalsIgnoreCase(journalMode)) {
                        throw new SQLException("could not switch " + file + " to WAL mode; journal_mode is " + journalMode);
                    }
                }
                // FULL: a commit is on disk (WAL fsynced) before any stage completes; group commit pays for it.
                statement.execute("PRAGMA synchronous = FULL");
                statement.execute("PRAGMA foreign_keys = ON");
                statement.execute("PRAGMA temp_store = MEMORY");
                statement.execute("PRAGMA cache_size = -" + CACHE_KIB);
            }
            connection.setAutoCommit(false);
            return new SqliteConnection(connection);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The cached statement for {@code sql}; parameters are left from its last use, so set all of them. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /** A cheap read of the database header (the schema version): proof that the connection answers. */
    void ping() throws SQLException {
        try (ResultSet row = prepare("PRAGMA user_version").executeQuery()) {
            if (!row.next()) {
                throw new SQLException("PRAGMA user_version returned no row");
            }
        }
    }

    /** For schema work: plain statements that are not worth caching. */
    Connection jdbc() {
        return connection;
    }

    /** Counts rows written in the current transaction, for {@link SqliteSettings#maxBatchRows()}. */
    void wrote(int rows) {
        rowsWritten += rows;
    }

    int rowsWritten() {
        return rowsWritten;
    }

    void commit() throws SQLException {
        connection.commit();
        rowsWritten = 0;
    }

    void rollback() throws SQLException {
        rowsWritten = 0;
        connection.rollback();
    }

    /** Whether the JDBC connection is closed (by {@link #close()}, or underneath us). */
    boolean isClosed() throws SQLException {
        return connection.isClosed();
    }

    /**
     * Rolls back whatever is pending (never commits half-done work) and closes the statements and the connection.
     * The connection is closed even if the rollback fails, so a broken connection can be replaced without leaking it.
     * Idempotent.
     */
    @Override
    public void close() throws SQLException {
        SQLException failure = null;
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                failure = chain(failure, e);
            }
        }
        statements.clear();
        if (!connection.isClosed()) {
            try {
                connection.rollback(); // nothing should be pending
            } catch (SQLException e) {
                failure = chain(failure, e);
            } finally {
                try {
                    connection.close();
                } catch (SQLException e) {
                    failure = chain(failure, e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static SQLException chain(SQLException first, SQLException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
