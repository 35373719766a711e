package dev.switchboard.im.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pruner on its own, on a real SQLite file with the real schema and a fake clock. */
class InboxPrunerTest {

    private static final Duration RETENTION = Duration.ofDays(7);
    private static final long DAY = Duration.ofDays(1).toMillis();

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(100 * DAY);
    private SqliteConnection db;
    private InboxPruner pruner;

    @BeforeEach
    void open() throws SQLException {
        Path file = dir.resolve("im.db");
        db = SqliteConnection.open(file, Duration.ofSeconds(5));
        SqliteSchema.migrate(db, file);
        db.commit();
        pruner = new InboxPruner(now::get, RETENTION, RETENTION);
    }

    @AfterEach
    void close() throws SQLException {
        db.close();
    }

    /** Stores message {@code id} at {@code storedAt} in bob's inbox with seq {@code id}. */
    private void store(long id, long storedAt) throws SQLException {
        PreparedStatement message = db.prepare("INSERT INTO messages (message_id, sender_id, sender_name, text,"
                + " sent_at, stored_at) VALUES (?, 'a', 'ann', 'hi', ?, ?)");
        message.setLong(1, id);
        message.setLong(2, storedAt);
        message.setLong(3, storedAt);
        message.executeUpdate();
        PreparedStatement entry = db.prepare("INSERT INTO inbox (user_id, seq, message_id) VALUES ('bob', ?, ?)");
        entry.setLong(1, id);
        entry.setLong(2, id);
        entry.executeUpdate();
    }

    private void ack(long seq) throws SQLException {
        PreparedStatement ack = db.prepare("INSERT INTO cursors (user_id, acked_seq) VALUES ('bob', ?)");
        ack.setLong(1, seq);
        ack.executeUpdate();
    }

    private long count(String table) throws SQLException {
        try (ResultSet row = db.prepare("SELECT COUNT(*) FROM " + table).executeQuery()) {
            return row.next() ? row.getLong(1) : -1;
        }
    }

    /** Runs a whole prune; returns its steps. */
    private int run(long nextMessageId) throws SQLException {
        int steps = 0;
        boolean more;
        do {
            more = pruner.step(db, () -> nextMessageId);
            steps++;
        } while (more);
        return steps;
    }

    @Test
    void deletesOnlyOldAcknowledgedEntriesAndTheMessagesLeftWithoutAnInbox() throws SQLException {
        for (long id = 1; id <= 10; id++) {
            store(id, (id <= 6 ? 80 : 99) * DAY); // 1..6 are past the 7-day retention, 7..10 are not
        }
        ack(4); // bob has 1..4; 5 and 6 are old but unacknowledged
        run(11);

        assertThat(count("inbox")).as("entries 5..10 stay").isEqualTo(6);
        assertThat(count("messages")).as("messages 5..10 stay").isEqualTo(6);
        assertThat(pruner.inProgress()).isFalse();
    }

    @Test
    void everythingPastTheRetentionIsPrunedUpToTheNextId() throws SQLException {
        for (long id = 1; id <= 5; id++) {
            store(id, 80 * DAY);
        }
        ack(5);
        run(6); // no message is recent: the run goes up to the id the next message would get

        assertThat(count("inbox")).isZero();
        assertThat(count("messages")).isZero();
    }

    @Test
    void aLargeBacklogIsDeletedInSeveralShortSteps() throws SQLException {
        int messages = 3 * InboxPruner.TARGET_ROWS;
        for (long id = 1; id <= messages; id++) {
            store(id, 80 * DAY);
        }
        ack(messages);
        int steps = run(messages + 1);

        assertThat(count("inbox")).isZero();
        assertThat(steps).as("windows of at most 4,096 ids").isGreaterThanOrEqualTo(messages / 4096);
    }

    @Test
    void nothingToPruneIsOneStepThatChangesNothing() throws SQLException {
        store(1, 99 * DAY);
        ack(1);
        assertThat(pruner.step(db, () -> 2)).isFalse();
        assertThat(count("inbox")).isEqualTo(1);
    }

    @Test
    void aResetAbandonsTheRunInProgress() throws SQLException {
        int messages = 3 * InboxPruner.TARGET_ROWS;
        for (long id = 1; id <= messages; id++) {
            store(id, 80 * DAY);
        }
        ack(messages);
        assertThat(pruner.step(db, () -> messages + 1)).isTrue();
        assertThat(pruner.inProgress()).isTrue();
        pruner.reset();
        assertThat(pruner.inProgress()).isFalse();
    }

    @Test
    void theCutOffIsFoundInTheIdOrderAcrossGaps() throws SQLException {
        // ids with gaps (pruned or rolled back), stored one day apart from day 80: the 7-day retention keeps 93 on
        for (long id = 3; id <= 60; id += 3) {
            store(id, (80 + id / 3) * DAY);
        }
        ack(60);
        run(61);

        try (ResultSet oldest = db.prepare("SELECT MIN(message_id), MIN(stored_at) FROM messages").executeQuery()) {
            assertThat(oldest.next()).isTrue();
            assertThat(oldest.getLong(1)).as("the first message stored within the retention").isEqualTo(39);
            assertThat(oldest.getLong(2)).isEqualTo(93 * DAY);
        }
        assertThat(count("messages")).isEqualTo(8);
    }

    @Test
    void aRunRecordsTheLastIdIssuedSoThatPruningTheNewestMessagesReusesNoId() throws SQLException {
        for (long id = 1; id <= 5; id++) {
            store(id, 80 * DAY);
        }
        ack(5);
        run(8); // ids 6 and 7 were issued and rolled back, or their messages pruned before

        assertThat(count("messages")).isZero();
        try (ResultSet last = db.prepare("SELECT value FROM store_counters WHERE name = 'last_message_id'")
                .executeQuery()) {
            assertThat(last.next()).isTrue();
            assertThat(last.getLong(1)).isEqualTo(7);
        }
    }
}
