package dev.switchboard.im.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.store.Conversation;
import dev.switchboard.im.store.ConversationSummary;
import dev.switchboard.im.store.InboxEntry;
import dev.switchboard.im.store.MemberSince;
import dev.switchboard.im.store.StoredMessage;
import java.nio.file.Path;
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
        Path file = dir.resolve(SqliteSettings.DATABASE_FILE);
        try (SqliteConnection db = SqliteConnection.open(file, Duration.ofSeconds(5))) {
            SqliteSchema.migrate(db.jdbc(), file, SqliteSchema.MIGRATIONS.subList(0, 2));
            try (Statement sql = db.jdbc().createStatement()) {
                sql.execute("INSERT INTO chat_groups (group_id, created_at) VALUES ('g1', 1)");
                sql.execute("INSERT INTO group_members (group_id, user_id) VALUES ('g1', 'alice'), ('g1', 'bob')");
                sql.execute("""
                        INSERT INTO messages (message_id, sender_id, sender_name, group_id, text, sent_at, stored_at)
                        VALUES (1, 'alice', 'alice', NULL, 'pending for bob', 10, 10),
                               (2, 'bob', 'bob', 'g1', 'in the group', 11, 11),
                               (3, 'carol', 'carol', NULL, 'pruned from every inbox', 12, 12)""");
                sql.execute("INSERT INTO inbox (user_id, seq, message_id) VALUES ('bob', 1, 1), ('alice', 1, 2), "
                        + "('bob', 2, 2)");
            }
            db.commit();
        }

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

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
