package dev.switchboard.im.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.im.store.Appended;
import dev.switchboard.im.store.Conversation;
import dev.switchboard.im.store.ConversationSummary;
import dev.switchboard.im.store.InboxEntry;
import dev.switchboard.im.store.MemberSince;
import dev.switchboard.im.store.NewMessage;
import dev.switchboard.im.store.StoredMessage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database written before a migration step opens with its data intact and, where it can, in the new shape. */
class SqliteMigrationTest {

    @TempDir
    Path dir;

    @Test
    void version2MessagesJoinTheirConversationsWhereAnInboxStillNamesTheRecipient() throws Exception {
        databaseAt(2,
                "INSERT INTO chat_groups (group_id, created_at) VALUES ('g1', 1)",
                "INSERT INTO group_members (group_id, user_id) VALUES ('g1', 'alice'), ('g1', 'bob')",
                """
                INSERT INTO messages (message_id, sender_id, sender_name, group_id, text, sent_at, stored_at)
                VALUES (1, 'alice', 'alice', NULL, 'pending for bob', 10, 10),
                       (2, 'bob', 'bob', 'g1', 'in the group', 11, 11),
                       (3, 'carol', 'carol', NULL, 'pruned from every inbox', 12, 12)""",
                "INSERT INTO inbox (user_id, seq, message_id) VALUES ('bob', 1, 1), ('alice', 1, 2), ('bob', 2, 2)");

        SqliteStorage storage = new SqliteStorage(SqliteSettings.defaults().withDataDir(dir));
        storage.start();
        try {
            List<StoredMessage> direct = await(storage.messages().history("bob", Conversation.direct("alice"), 0,
                    Long.MAX_VALUE, 10));
            assertThat(direct).singleElement().satisfies(m -> {
                assertThat(m.text()).isEqualTo("pending for bob");
                assertThat(m.toUserId()).isEqualTo("bob");
            });
            assertThat(await(storage.messages().history("alice", Conversation.group("g1"), 0, Long.MAX_VALUE, 10)))
                    .extracting(StoredMessage::text).containsExactly("in the group");
            List<MemberSince> bobsGroups = await(storage.groups().membershipsOf("bob"));
            assertThat(bobsGroups).containsExactly(new MemberSince("g1", 0));
            assertThat(await(storage.messages().conversations("bob", bobsGroups, Long.MAX_VALUE, 10)))
                    .extracting(ConversationSummary::conversation)
                    .containsExactly(Conversation.group("g1"), Conversation.direct("alice"));
            assertThat(await(storage.messages().conversations("carol", List.of(), Long.MAX_VALUE, 10)))
                    .as("the recipient of a message no inbox holds is unknown").isEmpty();
            assertThat(await(storage.messages().inboxAfter("bob", 0, 10))).extracting(InboxEntry::seq)
                    .containsExactly(1L, 2L);
        } finally {
            storage.stop();
        }
    }

    @Test
    void version6NumbersConversationsKeepsTheLastIdIssuedAndLeavesForeignKeysOn() throws Exception {
        Path file = databaseAt(5,
                "INSERT INTO chat_groups (group_id, created_at, name) VALUES ('g1', 1, 'team')",
                "INSERT INTO group_members (group_id, user_id) VALUES ('g1', 'alice'), ('g1', 'bob')",
                """
                INSERT INTO messages (message_id, sender_id, sender_name, group_id, to_user_id, text, sent_at,
                                      stored_at, conversation, edited_text, edited_at)
                VALUES (1, 'alice', 'alice', NULL, 'bob', 'hi bob', 10, 10, 'd:alice:bob', 'hi bob!', 15),
                       (2, 'bob', 'bob', 'g1', NULL, 'in the group', 11, 11, 'g:g1', NULL, 0),
                       (3, 'bob', 'bob', NULL, 'alice', 'hi alice', 12, 12, 'd:alice:bob', NULL, 0),
                       (9, 'bob', 'bob', NULL, 'alice', 'the newest, pruned', 13, 13, 'd:alice:bob', NULL, 0)
                """,
                "DELETE FROM messages WHERE message_id = 9", // AUTOINCREMENT remembers 9
                "INSERT INTO inbox (user_id, seq, message_id) VALUES ('bob', 1, 1), ('alice', 1, 2), ('bob', 2, 2), "
                        + "('alice', 2, 3)");

        SqliteStorage storage = new SqliteStorage(SqliteSettings.defaults().withDataDir(dir));
        storage.start();
        try {
            assertThat(await(storage.messages().history("bob", Conversation.direct("alice"), 0, Long.MAX_VALUE, 10)))
                    .extracting(StoredMessage::messageId, StoredMessage::text)
                    .containsExactly(tuple(3L, "hi alice"), tuple(1L, "hi bob!"));
            assertThat(await(storage.messages().history("alice", Conversation.group("g1"), 0, Long.MAX_VALUE, 10)))
                    .extracting(StoredMessage::text).containsExactly("in the group");
            assertThat(await(storage.messages().inboxAfter("alice", 0, 10))).extracting(InboxEntry::seq)
                    .containsExactly(1L, 2L);
            Appended next = await(storage.messages().append(NewMessage.direct("alice", "alice", "c-1", "bob",
                    "again", 20)));
            assertThat(next.message().messageId()).as("ids are never reused, AUTOINCREMENT or not").isEqualTo(10);
            assertThat(await(storage.messages().history("alice", Conversation.direct("bob"), 0, Long.MAX_VALUE, 10)))
                    .extracting(StoredMessage::messageId).containsExactly(10L, 3L, 1L);
        } finally {
            storage.stop();
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement sql = db.createStatement()) {
            try (ResultSet numbers = sql.executeQuery(
                    "SELECT conversation_key FROM conversations ORDER BY conversation_id")) {
                assertThat(numbers.next()).isTrue();
                assertThat(numbers.getString(1)).isEqualTo("d:alice:bob");
                assertThat(numbers.next()).isTrue();
                assertThat(numbers.getString(1)).isEqualTo("g:g1");
                assertThat(numbers.next()).isFalse();
            }
            try (ResultSet index = sql.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index'"
                    + " AND tbl_name = 'messages' ORDER BY name")) {
                List<String> names = new java.util.ArrayList<>();
                while (index.next()) {
                    names.add(index.getString(1));
                }
                assertThat(names).containsExactly("edits_by_message", "messages_by_client_msg_id",
                        "messages_by_conversation");
            }
            try (ResultSet violations = sql.executeQuery("PRAGMA foreign_key_check")) {
                assertThat(violations.next()).isFalse();
            }
        }
    }

    @Test
    void version7ReadsEveryExistingEntryAsARunOfOneAndContinuesTheSeqs() throws Exception {
        Path file = databaseAt(6,
                """
                INSERT INTO messages (message_id, sender_id, sender_name, to_user_id, text, sent_at, stored_at)
                VALUES (1, 'alice', 'alice', 'bob', 'one', 10, 10), (2, 'alice', 'alice', 'bob', 'two', 11, 11),
                       (4, 'alice', 'alice', 'bob', 'four', 12, 12)""",
                "INSERT INTO inbox (user_id, seq, message_id) VALUES ('bob', 1, 1), ('bob', 2, 2), ('bob', 3, 4)");

        SqliteStorage storage = new SqliteStorage(SqliteSettings.defaults().withDataDir(dir));
        storage.start();
        try {
            assertThat(await(storage.messages().inboxAfter("bob", 0, 10)))
                    .extracting(InboxEntry::seq, e -> e.message().text())
                    .containsExactly(tuple(1L, "one"), tuple(2L, "two"), tuple(3L, "four"));
            assertThat(await(storage.messages().inboxAfter("bob", 1, 10))).extracting(InboxEntry::seq)
                    .containsExactly(2L, 3L);
            assertThat(await(storage.messages().lastSeq("bob"))).isEqualTo(3);
            Appended next = await(storage.messages().append(NewMessage.direct("alice", "alice", null, "bob",
                    "five", 20)));
            assertThat(next.seqByRecipient()).containsExactly(java.util.Map.entry("bob", 4L));
        } finally {
            storage.stop();
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement sql = db.createStatement();
             ResultSet runs = sql.executeQuery("SELECT run FROM inbox WHERE user_id = 'bob' ORDER BY seq")) {
            List<Integer> lengths = new java.util.ArrayList<>();
            while (runs.next()) {
                lengths.add(runs.getInt(1));
            }
            assertThat(lengths).containsExactly(1, 1, 1, 1);
        }
    }

    @Test
    void aRebuildingStepThatBreaksAForeignKeyIsRolledBackAndForeignKeysStayOn() throws Exception {
        Path file = dir.resolve(SqliteSettings.DATABASE_FILE);
        try (SqliteConnection db = SqliteConnection.open(file, Duration.ofSeconds(5))) {
            List<SqliteSchema.Migration> steps = List.of(
                    new SqliteSchema.Migration(1, "a parent and a child", List.of(
                            "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
                            "CREATE TABLE child (parent_id INTEGER REFERENCES parent (id))",
                            "INSERT INTO parent (id) VALUES (1)",
                            "INSERT INTO child (parent_id) VALUES (1)")),
                    new SqliteSchema.Migration(2, "a rebuild that loses the parent row", List.of(
                            "CREATE TABLE parent_new (id INTEGER PRIMARY KEY)",
                            "DROP TABLE parent",
                            "ALTER TABLE parent_new RENAME TO parent"), true));
            assertThatThrownBy(() -> SqliteSchema.migrate(db.jdbc(), file, steps))
                    .hasMessageContaining("version 2")
                    .rootCause().hasMessageContaining("foreign key violated");
            assertThat(SqliteSchema.userVersion(db.jdbc())).isEqualTo(1);
            try (Statement sql = db.jdbc().createStatement();
                 ResultSet on = sql.executeQuery("PRAGMA foreign_keys")) {
                assertThat(on.next()).isTrue();
                assertThat(on.getInt(1)).isEqualTo(1);
            }
            try (Statement sql = db.jdbc().createStatement();
                 ResultSet parent = sql.executeQuery("SELECT COUNT(*) FROM parent")) {
                assertThat(parent.next()).isTrue();
                assertThat(parent.getInt(1)).as("the step was rolled back").isEqualTo(1);
            }
        }
    }

    /** A database at schema {@code version} holding what {@code statements} wrote; returns its file. */
    private Path databaseAt(int version, String... statements) throws Exception {
        Path file = dir.resolve(SqliteSettings.DATABASE_FILE);
        try (SqliteConnection db = SqliteConnection.open(file, Duration.ofSeconds(5))) {
            SqliteSchema.migrate(db.jdbc(), file, SqliteSchema.MIGRATIONS.subList(0, version));
            try (Statement sql = db.jdbc().createStatement()) {
                for (String statement : statements) {
                    sql.execute(statement);
                }
            }
            db.commit();
        }
        return file;
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
