package dev.switchboard.im.store.sqlite;

import java.nio.file.Files;
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
 * One JDBC connection of the store with its prepared statements, cached by SQL text. Confined to one thread at a
 * time: {@link SqliteStorage#start()} opens and migrates the writer's ({@link #open}), then hands it to the writer
 * thread for good; each reader's ({@link #openReader}) belongs to one {@link StoreReaders} thread.
 *
 * <p>After opening, the connection is outside auto-commit: every statement joins the current transaction until
 * {@link #commit()} or {@link #rollback()}. Transactions are deferred, so a reader's snapshot of the database is
 * taken by its first statement, not by the previous rollback.
 */
final class SqliteConnection implements AutoCloseable {

    /** Page cache per connection, in KiB (negative = KiB for SQLite): the whole hot inbox index fits. */
    private static final int CACHE_KIB = 32 * 1024;
    /** WAL pages after which a commit checkpoints (see {@link #open}). */
    static final int WAL_AUTOCHECKPOINT_PAGES = 4_000;

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
                // Checkpoint every 4,000 WAL pages (16 MiB at 4 KiB) rather than SQLite's 1,000: the writer runs the
                // checkpoint inside a commit, and fewer, larger ones copy each hot page (the right edges of the
                // indexes) less often. Measured +9 % on `bench direct --store sqlite` (docs/benchmarks.md); 8,000
                // gained less, and no automatic checkpoint at all lost 25 % (a WAL that only grows).
                statement.execute("PRAGMA wal_autocheckpoint = " + WAL_AUTOCHECKPOINT_PAGES);
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

    /**
     * Opens a read-only connection to {@code file}, which {@link #open} has already switched to WAL mode (a setting
     * of the file, so it is only checked here): {@code query_only} makes any write fail, and WAL lets it read
     * committed data while the writer holds a transaction open. No {@code synchronous} or {@code foreign_keys}: they
     * only concern writes. Same busy timeout and page cache as the writer (each connection has its own cache).
     */
    static SqliteConnection openReader(Path file, Duration busyTimeout) throws SQLException {
        if (!Files.exists(file)) {
            // Opening would create an empty database; a reader is only ever opened on one the writer migrated.
            throw new SQLException("cannot open a reader on " + file + ": no such database");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setGetGeneratedKeys(false);
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(),
                config.toProperties());
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = " + busyTimeout.toMillis());
                try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
                    String journalMode = mode.next() ? mode.getString(1) : "unknown";
                    if (!"wal".equalsIgnoreCase(journalMode)) {
                        throw new SQLException("a reader of " + file + " needs WAL mode; journal_mode is "
                                + journalMode);
                    }
                }
                statement.execute("PRAGMA query_only = ON");
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
