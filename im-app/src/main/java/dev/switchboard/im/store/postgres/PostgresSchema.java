package dev.switchboard.im.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database schema as ordered migration steps. The table {@code schema_version} has a row per step applied; each
 * step runs in its own transaction together with its row, so a failure leaves the database at a whole version.
 * Several nodes starting at once migrate one at a time: the migration holds a session advisory lock
 * ({@value #MIGRATION_LOCK}). Add a step to change the schema; never edit a released one.
 *
 * <pre>
 * v1  users(user_id PK, user_name UNIQUE, salt, hash, iterations, created_at)
 *     tokens(token_hash PK, user_id, expires_at)          INDEX (user_id, expires_at), INDEX (expires_at)
 *     presence_hidden(user_id PK)                         -- users who chose to appear offline
 *     chat_groups(group_id PK, name, muted, created_at, deleted_at)  -- deleted groups stay: ids are never reused
 *     group_members(member_no PK identity, group_id FK, user_id, joined_after, role, muted)
 *       UNIQUE (group_id, user_id); ascending member_no = join order
 *     messages(message_id PK identity, kind, sender_id, sender_name, client_msg_id, group_id, to_user_id, text,
 *              sent_at, stored_at, ref_message_id, conversation ('d:low:high' / 'g:group' for history kinds),
 *              edited_text, edited_at, recalled_at)
 *       UNIQUE (sender_id, client_msg_id) WHERE client_msg_id IS NOT NULL   -- deduplication, across nodes
 *       INDEX (conversation, message_id) WHERE conversation IS NOT NULL; INDEX (ref_message_id) WHERE kind = 3
 *     inbox_seqs(user_id PK, last_seq)                    -- each inbox's counter, bumped in the appending transaction
 *     inbox(user_id, seq, message_id FK) PK (user_id, seq)  INDEX (message_id)
 *     cursors(user_id PK, acked_seq)
 *     direct_peers(user_id, peer_id) PK
 *     read_positions(conversation, user_id, message_id) PK (conversation, user_id)
 * </pre>
 */
final class PostgresSchema {

    private static final Logger log = LoggerFactory.getLogger(PostgresSchema.class);

    /** The advisory lock key migrations hold (ASCII "swbdmigr"), so that two starting nodes do not both migrate. */
    static final long MIGRATION_LOCK = 0x737762646d696772L;

    /** One step from {@code version - 1} to {@code version}. */
    record Migration(int version, String description, List<String> statements) {
        Migration {
            statements = List.copyOf(statements);
        }
    }

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "initial schema", List.of(
                    """
                    CREATE TABLE users (
                        user_id    TEXT PRIMARY KEY,
                        user_name  TEXT NOT NULL UNIQUE,
                        salt       BYTEA NOT NULL,
                        hash       BYTEA NOT NULL,
                        iterations INTEGER NOT NULL,
                        created_at BIGINT NOT NULL
                    )""",
                    """
                    CREATE TABLE tokens (
                        token_hash BYTEA PRIMARY KEY,
                        user_id    TEXT NOT NULL,
                        expires_at BIGINT NOT NULL
                    )""",
                    "CREATE INDEX tokens_by_user ON tokens (user_id, expires_at)",
                    "CREATE INDEX tokens_by_expiry ON tokens (expires_at)",
                    "CREATE TABLE presence_hidden (user_id TEXT PRIMARY KEY)",
                    """
                    CREATE TABLE chat_groups (
                        group_id   TEXT PRIMARY KEY,
                        name       TEXT NOT NULL,
                        muted      BOOLEAN NOT NULL DEFAULT FALSE,
                        created_at BIGINT NOT NULL,
                        deleted_at BIGINT
                    )""",
                    """
                    CREATE TABLE group_members (
                        member_no    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        group_id     TEXT NOT NULL REFERENCES chat_groups (group_id),
                        user_id      TEXT NOT NULL,
                        joined_after BIGINT NOT NULL,
                        role         SMALLINT NOT NULL,
                        muted        BOOLEAN NOT NULL DEFAULT FALSE,
                        UNIQUE (group_id, user_id)
                    )""",
                    "CREATE INDEX group_members_by_user ON group_members (user_id, member_no)",
                    """
                    CREATE TABLE messages (
                        message_id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        kind           SMALLINT NOT NULL,
                        sender_id      TEXT NOT NULL,
                        sender_name    TEXT NOT NULL,
                        client_msg_id  TEXT,
                        group_id       TEXT,
                        to_user_id     TEXT,
                        text           TEXT NOT NULL,
                        sent_at        BIGINT NOT NULL,
                        stored_at      BIGINT NOT NULL,
                        ref_message_id BIGINT NOT NULL DEFAULT 0,
                        conversation   TEXT,
                        edited_text    TEXT,
                        edited_at      BIGINT NOT NULL DEFAULT 0,
                        recalled_at    BIGINT NOT NULL DEFAULT 0
                    )""",
                    """
                    CREATE UNIQUE INDEX messages_by_client_msg_id ON messages (sender_id, client_msg_id)
                        WHERE client_msg_id IS NOT NULL""",
                    """
                    CREATE INDEX messages_by_conversation ON messages (conversation, message_id)
                        WHERE conversation IS NOT NULL""",
                    "CREATE INDEX edits_by_message ON messages (ref_message_id) WHERE kind = 3",
                    """
                    CREATE TABLE inbox_seqs (
                        user_id  TEXT PRIMARY KEY,
                        last_seq BIGINT NOT NULL
                    )""",
                    """
                    CREATE TABLE inbox (
                        user_id    TEXT NOT NULL,
                        seq        BIGINT NOT NULL,
                        message_id BIGINT NOT NULL REFERENCES messages (message_id),
                        PRIMARY KEY (user_id, seq)
                    )""",
                    "CREATE INDEX inbox_by_message ON inbox (message_id)",
                    """
                    CREATE TABLE cursors (
                        user_id   TEXT PRIMARY KEY,
                        acked_seq BIGINT NOT NULL
                    )""",
                    """
                    CREATE TABLE direct_peers (
                        user_id TEXT NOT NULL,
                        peer_id TEXT NOT NULL,
                        PRIMARY KEY (user_id, peer_id)
                    )""",
                    """
                    CREATE TABLE read_positions (
                        conversation TEXT NOT NULL,
                        user_id      TEXT NOT NULL,
                        message_id   BIGINT NOT NULL,
                        PRIMARY KEY (conversation, user_id)
                    )""")));

    private PostgresSchema() {
    }

    static int latestVersion() {
        return MIGRATIONS.size();
    }

    /** Brings the database up to date with {@link #MIGRATIONS}; returns the version it is at. */
    static int migrate(Connection connection, String where) throws SQLException {
        return migrate(connection, where, MIGRATIONS);
    }

    /**
     * Applies the steps of {@code migrations} newer than the database's version, in order, each committed on its
     * own, holding the migration lock throughout. The connection is left in auto-commit.
     *
     * @throws IllegalStateException if the database is newer than the last step, or the steps are not numbered
     *     1, 2, 3, ...
     */
    static int migrate(Connection connection, String where, List<Migration> migrations) throws SQLException {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalStateException("migration " + (i + 1) + " is numbered "
                        + migrations.get(i).version() + "; steps must be numbered 1, 2, 3, ...");
            }
        }
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            try {
                statement.execute("""
                        CREATE TABLE IF NOT EXISTS schema_version (
                            version     INTEGER PRIMARY KEY,
                            description TEXT NOT NULL,
                            applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
                        )""");
                return migrateLocked(connection, where, migrations);
            } finally {
                connection.setAutoCommit(true);
                statement.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
            }
        }
    }

    private static int migrateLocked(Connection connection, String where, List<Migration> migrations)
            throws SQLException {
        int latest = migrations.size();
        int version = version(connection);
        if (version > latest) {
            throw new IllegalStateException("database " + where + " has schema version " + version
                    + " but this build knows versions up to " + latest
                    + "; refusing to use it (it was written by a newer Switchboard)");
        }
        for (Migration migration : migrations.subList(version, latest)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement();
                 PreparedStatement record = connection.prepareStatement(
                         "INSERT INTO schema_version (version, description) VALUES (?, ?)")) {
                for (String sql : migration.statements()) {
                    statement.execute(sql);
                }
                record.setInt(1, migration.version());
                record.setString(2, migration.description());
                record.executeUpdate();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw new SQLException("migration of " + where + " to version " + migration.version() + " ("
                        + migration.description() + ") failed", e);
            }
            log.info("Migrated {} to schema version {}: {}", where, migration.version(), migration.description());
        }
        return latest;
    }

    /** The version of the last step applied; 0 for a database without any (schema_version must exist). */
    static int version(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            return row.next() ? row.getInt(1) : 0;
        }
    }
}
