package dev.switchboard.im.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database schema as ordered migration steps. {@code PRAGMA user_version} holds the version of the last step
 * applied; each step runs in its own transaction together with the version bump, so a crash leaves the database at
 * a whole version. Add a step to change the schema; never edit a released one.
 *
 * <pre>
 * v1  users(user_id PK, user_name UNIQUE, salt, hash, iterations, created_at)
 *     tokens(token_hash PK, user_id, expires_at)                       -- only hashes of resume tokens
 *     chat_groups(group_id PK, created_at, deleted_at)                 -- deleted groups stay as tombstones: ids are never reused
 *     group_members(member_no PK, group_id FK, user_id)                -- ascending member_no = join order
 *     messages(message_id PK AUTOINCREMENT, sender_id, sender_name, client_msg_id, group_id, text, sent_at, stored_at)
 *       UNIQUE (sender_id, client_msg_id) WHERE client_msg_id IS NOT NULL  -- the idempotency table
 *     inbox(user_id, seq, message_id FK) PK (user_id, seq)
 *     cursors(user_id PK, acked_seq)
 * v2  INDEX tokens_by_user ON tokens (user_id, expires_at)
 * v3  messages += kind (0 message, 1 read event, see EntryKind), to_user_id (the other side of a direct conversation),
 *       ref_message_id (what an event is about), conversation ('d:low:high' or 'g:group', messages only),
 *       edited_text, edited_at, recalled_at (0: never)
 *     INDEX messages_by_conversation ON messages (conversation, message_id) WHERE conversation IS NOT NULL
 *     INDEX edits_by_message ON messages (ref_message_id) WHERE kind = 3  -- a recall blanks the edits too
 *     direct_peers(user_id, peer_id) PK (user_id, peer_id)              -- who has a direct conversation with whom
 *     read_positions(conversation, user_id, message_id) PK (conversation, user_id)
 *     group_members += joined_after (the last message id when the member joined: where its history starts)
 *     existing direct messages get to_user_id from their inbox entry where one is left
 * v4  chat_groups += name (existing groups: 'group ' || group_id), muted (0/1: only owner and admins may post)
 *     group_members += role (0 member, 1 admin, 2 owner, see GroupRole; existing groups: the first member owns),
 *       muted (0/1)
 *     messages.conversation is also set for group events (kind 2), which are part of the group's history
 * v5  presence_hidden(user_id PK)                                      -- users who chose to appear offline
 * v6  conversations(conversation_id PK, conversation_key UNIQUE)      -- the number of each 'd:low:high' / 'g:group'
 *     store_counters(name PK, value)                                  -- 'last_message_id': ids are never reused
 *     messages rebuilt: message_id a plain INTEGER PRIMARY KEY (no AUTOINCREMENT; the last id issued is kept in
 *       store_counters before pruning could delete the newest row), conversation (text) replaced by
 *       conversation_id, no stored_at index (the pruner searches the id order, which is storage order)
 *     INDEX messages_by_conversation ON messages (conversation_id, message_id) WHERE conversation_id IS NOT NULL
 * v7  inbox += run (existing rows: 1): a row holds seqs seq .. seq + run - 1, which are message ids
 *       message_id .. message_id + run - 1 (see InboxRuns: a transaction's messages to one group are one row per member)
 * </pre>
 */
final class SqliteSchema {

    private static final Logger log = LoggerFactory.getLogger(SqliteSchema.class);

    /**
     * One step from {@code version - 1} to {@code version}; {@code rebuildsTables}: it drops and recreates a table
     * other tables refer to, so it runs with foreign keys off and checks them before it commits (SQLite's
     * procedure for schema changes ALTER TABLE cannot make).
     */
    record Migration(int version, String description, List<String> statements, boolean rebuildsTables) {

        Migration(int version, String description, List<String> statements) {
            this(version, description, statements, false);
        }

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
                        salt       BLOB NOT NULL,
                        hash       BLOB NOT NULL,
                        iterations INTEGER NOT NULL,
                        created_at INTEGER NOT NULL
                    ) WITHOUT ROWID""",
                    """
                    CREATE TABLE tokens (
                        token_hash BLOB PRIMARY KEY,
                        user_id    TEXT NOT NULL,
                        expires_at INTEGER NOT NULL
                    ) WITHOUT ROWID""",
                    "CREATE INDEX tokens_by_expiry ON tokens (expires_at)",
                    """
                    CREATE TABLE chat_groups (
                        group_id   TEXT PRIMARY KEY,
                        created_at INTEGER NOT NULL,
                        deleted_at INTEGER
                    ) WITHOUT ROWID""",
                    """
                    CREATE TABLE group_members (
                        member_no INTEGER PRIMARY KEY,
                        group_id  TEXT NOT NULL REFERENCES chat_groups (group_id),
                        user_id   TEXT NOT NULL,
                        UNIQUE (group_id, user_id)
                    )""",
                    "CREATE INDEX group_members_by_user ON group_members (user_id)",
                    """
                    CREATE TABLE messages (
                        message_id    INTEGER PRIMARY KEY AUTOINCREMENT,
                        sender_id     TEXT NOT NULL,
                        sender_name   TEXT NOT NULL,
                        client_msg_id TEXT,
                        group_id      TEXT,
                        text          TEXT NOT NULL,
                        sent_at       INTEGER NOT NULL,
                        stored_at     INTEGER NOT NULL
                    )""",
                    """
                    CREATE UNIQUE INDEX messages_by_client_msg_id ON messages (sender_id, client_msg_id)
                        WHERE client_msg_id IS NOT NULL""",
                    "CREATE INDEX messages_by_stored_at ON messages (stored_at)",
                    """
                    CREATE TABLE inbox (
                        user_id    TEXT NOT NULL,
                        seq        INTEGER NOT NULL,
                        message_id INTEGER NOT NULL REFERENCES messages (message_id),
                        PRIMARY KEY (user_id, seq)
                    ) WITHOUT ROWID""",
                    "CREATE INDEX inbox_by_message ON inbox (message_id)",
                    """
                    CREATE TABLE cursors (
                        user_id   TEXT PRIMARY KEY,
                        acked_seq INTEGER NOT NULL
                    ) WITHOUT ROWID""")),
            new Migration(2, "tokens by user, for the per-user cap and log out everywhere", List.of(
                    "CREATE INDEX tokens_by_user ON tokens (user_id, expires_at)")),
            new Migration(3, "history, conversations, read positions, edits and recalls", List.of(
                    "ALTER TABLE messages ADD COLUMN kind INTEGER NOT NULL DEFAULT 0",
                    "ALTER TABLE messages ADD COLUMN to_user_id TEXT",
                    "ALTER TABLE messages ADD COLUMN ref_message_id INTEGER NOT NULL DEFAULT 0",
                    "ALTER TABLE messages ADD COLUMN conversation TEXT",
                    "ALTER TABLE messages ADD COLUMN edited_text TEXT",
                    "ALTER TABLE messages ADD COLUMN edited_at INTEGER NOT NULL DEFAULT 0",
                    "ALTER TABLE messages ADD COLUMN recalled_at INTEGER NOT NULL DEFAULT 0",
                    """
                    UPDATE messages SET to_user_id =
                        (SELECT i.user_id FROM inbox i WHERE i.message_id = messages.message_id LIMIT 1)
                    WHERE group_id IS NULL""",
                    """
                    UPDATE messages SET conversation = CASE
                        WHEN group_id IS NOT NULL THEN 'g:' || group_id
                        WHEN to_user_id IS NOT NULL
                            THEN 'd:' || min(sender_id, to_user_id) || ':' || max(sender_id, to_user_id)
                        END""",
                    """
                    CREATE INDEX messages_by_conversation ON messages (conversation, message_id)
                        WHERE conversation IS NOT NULL""",
                    """
                    CREATE INDEX edits_by_message ON messages (ref_message_id) WHERE kind = 3""",
                    """
                    CREATE TABLE direct_peers (
                        user_id TEXT NOT NULL,
                        peer_id TEXT NOT NULL,
                        PRIMARY KEY (user_id, peer_id)
                    ) WITHOUT ROWID""",
                    """
                    INSERT OR IGNORE INTO direct_peers (user_id, peer_id)
                        SELECT sender_id, to_user_id FROM messages WHERE to_user_id IS NOT NULL
                        UNION SELECT to_user_id, sender_id FROM messages WHERE to_user_id IS NOT NULL""",
                    """
                    CREATE TABLE read_positions (
                        conversation TEXT NOT NULL,
                        user_id      TEXT NOT NULL,
                        message_id   INTEGER NOT NULL,
                        PRIMARY KEY (conversation, user_id)
                    ) WITHOUT ROWID""",
                    "ALTER TABLE group_members ADD COLUMN joined_after INTEGER NOT NULL DEFAULT 0")),
            new Migration(4, "group names, roles and mutes", List.of(
                    "ALTER TABLE chat_groups ADD COLUMN name TEXT NOT NULL DEFAULT ''",
                    "ALTER TABLE chat_groups ADD COLUMN muted INTEGER NOT NULL DEFAULT 0",
                    "UPDATE chat_groups SET name = 'group ' || group_id",
                    "ALTER TABLE group_members ADD COLUMN role INTEGER NOT NULL DEFAULT 0",
                    "ALTER TABLE group_members ADD COLUMN muted INTEGER NOT NULL DEFAULT 0",
                    """
                    UPDATE group_members SET role = 2
                    WHERE member_no IN (SELECT MIN(member_no) FROM group_members GROUP BY group_id)""")),
            new Migration(5, "users who hide their presence", List.of(
                    """
                    CREATE TABLE presence_hidden (
                        user_id TEXT PRIMARY KEY
                    ) WITHOUT ROWID""")),
            // A table rebuild (the only way to drop AUTOINCREMENT): foreign keys are off for the step, the inbox's
            // reference to messages binds to the new table by name, and foreign_key_check runs before the commit.
            new Migration(6, "a cheaper send: conversations by number, no AUTOINCREMENT, no stored_at index", List.of(
                    """
                    CREATE TABLE conversations (
                        conversation_id  INTEGER PRIMARY KEY,
                        conversation_key TEXT NOT NULL UNIQUE
                    )""",
                    """
                    INSERT INTO conversations (conversation_key)
                        SELECT conversation FROM messages WHERE conversation IS NOT NULL
                        GROUP BY conversation ORDER BY MIN(message_id)""",
                    """
                    CREATE TABLE store_counters (
                        name  TEXT PRIMARY KEY,
                        value INTEGER NOT NULL
                    ) WITHOUT ROWID""",
                    """
                    INSERT INTO store_counters (name, value)
                        SELECT 'last_message_id', MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0),
                                                      COALESCE((SELECT MAX(message_id) FROM messages), 0))""",
                    """
                    CREATE TABLE messages_v6 (
                        message_id      INTEGER PRIMARY KEY,
                        kind            INTEGER NOT NULL DEFAULT 0,
                        sender_id       TEXT NOT NULL,
                        sender_name     TEXT NOT NULL,
                        client_msg_id   TEXT,
                        group_id        TEXT,
                        to_user_id      TEXT,
                        text            TEXT NOT NULL,
                        sent_at         INTEGER NOT NULL,
                        stored_at       INTEGER NOT NULL,
                        ref_message_id  INTEGER NOT NULL DEFAULT 0,
                        conversation_id INTEGER,
                        edited_text     TEXT,
                        edited_at       INTEGER NOT NULL DEFAULT 0,
                        recalled_at     INTEGER NOT NULL DEFAULT 0
                    )""",
                    """
                    INSERT INTO messages_v6 (message_id, kind, sender_id, sender_name, client_msg_id, group_id,
                                             to_user_id, text, sent_at, stored_at, ref_message_id, conversation_id,
                                             edited_text, edited_at, recalled_at)
                        SELECT m.message_id, m.kind, m.sender_id, m.sender_name, m.client_msg_id, m.group_id,
                               m.to_user_id, m.text, m.sent_at, m.stored_at, m.ref_message_id, c.conversation_id,
                               m.edited_text, m.edited_at, m.recalled_at
                        FROM messages m LEFT JOIN conversations c ON c.conversation_key = m.conversation
                        ORDER BY m.message_id""",
                    "DROP TABLE messages",
                    "ALTER TABLE messages_v6 RENAME TO messages",
                    """
                    CREATE UNIQUE INDEX messages_by_client_msg_id ON messages (sender_id, client_msg_id)
                        WHERE client_msg_id IS NOT NULL""",
                    """
                    CREATE INDEX messages_by_conversation ON messages (conversation_id, message_id)
                        WHERE conversation_id IS NOT NULL""",
                    "CREATE INDEX edits_by_message ON messages (ref_message_id) WHERE kind = 3"),
                    true),
            new Migration(7, "inbox rows as runs of entries", List.of(
                    "ALTER TABLE inbox ADD COLUMN run INTEGER NOT NULL DEFAULT 1")));

    private SqliteSchema() {
    }

    static int latestVersion() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }

    /** Brings the database up to date with {@link #MIGRATIONS}; returns the version it is at. */
    static int migrate(SqliteConnection connection, Path file) throws SQLException {
        return migrate(connection.jdbc(), file, MIGRATIONS);
    }

    /**
     * Applies the steps of {@code migrations} newer than the database's version, in order, each committed on its
     * own. The connection must be outside auto-commit.
     *
     * @throws IllegalStateException if the database is newer than the last step, or the steps are not numbered
     *     1, 2, 3, ...
     */
    static int migrate(Connection connection, Path file, List<Migration> migrations) throws SQLException {
        if (connection.getAutoCommit()) {
            throw new IllegalArgumentException("migrations need a connection outside auto-commit");
        }
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalStateException("migration " + (i + 1) + " is numbered "
                        + migrations.get(i).version() + "; steps must be numbered 1, 2, 3, ...");
            }
        }
        int latest = migrations.size();
        int version = userVersion(connection);
        if (version > latest) {
            throw new IllegalStateException("database " + file + " has schema version " + version
                    + " but this build knows versions up to " + latest
                    + "; refusing to open it (it was written by a newer Switchboard)");
        }
        for (Migration migration : migrations.subList(version, latest)) {
            boolean foreignKeys = migration.rebuildsTables() && foreignKeys(connection, false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : migration.statements()) {
                    statement.execute(sql);
                }
                if (migration.rebuildsTables()) {
                    checkForeignKeys(statement);
                }
                statement.execute("PRAGMA user_version = " + migration.version());
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw new SQLException("migration of " + file + " to version " + migration.version() + " ("
                        + migration.description() + ") failed", e);
            } finally {
                if (foreignKeys) {
                    foreignKeys(connection, true);
                }
            }
            log.info("Migrated {} to schema version {}: {}", file, migration.version(), migration.description());
        }
        return latest;
    }

    /**
     * Turns foreign key enforcement on or off (only possible outside a transaction, hence the auto-commit switch);
     * returns whether it was on before.
     */
    private static boolean foreignKeys(Connection connection, boolean on) throws SQLException {
        connection.commit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            boolean was;
            try (ResultSet row = statement.executeQuery("PRAGMA foreign_keys")) {
                was = row.next() && row.getInt(1) == 1;
            }
            statement.execute("PRAGMA foreign_keys = " + (on ? "ON" : "OFF"));
            return was;
        } finally {
            connection.setAutoCommit(false);
        }
    }

    private static void checkForeignKeys(Statement statement) throws SQLException {
        try (ResultSet violation = statement.executeQuery("PRAGMA foreign_key_check")) {
            if (violation.next()) {
                throw new SQLException("foreign key violated after the step: table " + violation.getString(1)
                        + " row " + violation.getLong(2) + " refers to " + violation.getString(3));
            }
        }
    }

    static int userVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA user_version")) {
            return result.next() ? result.getInt(1) : 0;
        }
    }
}
