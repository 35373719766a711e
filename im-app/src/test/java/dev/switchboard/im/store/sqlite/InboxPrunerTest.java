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

    /** One inbox row of {@code user}: seqs {@code seq ..} are messages {@code messageId ..}, {@code run} of each. */
    private void storeRun(String user, long seq, long messageId, int run) throws SQLException {
        PreparedStatement entry = db.prepare("INSERT INTO inbox (user_id, seq, message_id, run) VALUES (?, ?, ?, ?)");
        entry.setString(1, user);
        entry.setLong(2, seq);
        entry.setLong(3, messageId);
        entry.setInt(4, run);
        entry.executeUpdate();
    }

    private void ack(long seq) throws SQLException {
        ack("bob", seq);
    }

    private void ack(String user, long seq) throws SQLException {
        PreparedStatement ack = db.prepare("INSERT INTO cursors (user_id, acked_seq) VALUES (?, ?)");
        ack.setString(1, user);
        ack.setLong(2, seq);
        ack.executeUpdate();
    }

    private long query(String sql, long... args) throws SQLException {
        PreparedStatement select = db.prepare(sql);
        for (int i = 0; i < args.length; i++) {
            select.setLong(i + 1, args[i]);
        }
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? row.getLong(1) : -1;
        }
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
    void aRunGoesOnlyWhenAllOfItIsAcknowledgedAndItsMessagesStayWhileAnyRunHoldsThem() throws SQLException {
        for (long id = 1; id <= 10; id++) {
            store(id, 80 * DAY); // bob: single-entry rows, seq = id
        }
        storeRun("carol", 1, 3, 4); // carol's seqs 1..4 are messages 3..6
        storeRun("dave", 1, 1, 10);  // dave's seqs 1..10 are messages 1..10
        ack(10);
        ack("carol", 3); // 6 is not acknowledged: the whole run stays
        ack("dave", 10);
        run(11);

        assertThat(query("SELECT COUNT(*) FROM inbox WHERE user_id = 'bob'")).isZero();
        assertThat(query("SELECT COUNT(*) FROM inbox WHERE user_id = 'dave'")).as("all acknowledged").isZero();
        assertThat(query("SELECT COUNT(*) FROM inbox WHERE user_id = 'carol'")).isEqualTo(1);
        assertThat(query("SELECT COUNT(*) FROM messages")).as("3..6, held by carol's run").isEqualTo(4);
        assertThat(query("SELECT MIN(message_id) FROM messages")).isEqualTo(3);
        assertThat(query("SELECT MAX(message_id) FROM messages")).isEqualTo(6);
    }

    @Test
    void aRunThatEndsInsideTheRetentionStaysAndSoDoItsMessages() throws SQLException {
        for (long id = 1; id <= 10; id++) {
            store(id, (id <= 6 ? 80 : 99) * DAY); // 7..10 are recent
        }
        storeRun("carol", 1, 5, 3); // messages 5..7: 7 is recent, so the row is not past the cut-off
        ack(10);
        ack("carol", 3);
        run(11);

        assertThat(query("SELECT COUNT(*) FROM inbox WHERE user_id = 'carol'")).isEqualTo(1);
        assertThat(query("SELECT MIN(message_id) FROM messages")).as("5 and 6 are held by the run").isEqualTo(5);
        assertThat(query("SELECT COUNT(*) FROM messages")).isEqualTo(6);
    }

    @Test
    void aRunThatStartsBeforeAStepsWindowStillHoldsItsMessagesInIt() throws SQLException {
        for (long id = 1; id <= 1200; id++) {
            store(id, 80 * DAY);
        }
        storeRun("carol", 1, 200, InboxRuns.MAX_RUN - 200); // messages 200 .. 1023, across several windows
        ack(1200);
        int steps = run(1201);

        assertThat(steps).as("the run spans more than one window").isGreaterThan(1);
        assertThat(query("SELECT COUNT(*) FROM messages")).isEqualTo(InboxRuns.MAX_RUN - 200);
        assertThat(query("SELECT COUNT(*) FROM messages WHERE message_id < 200 OR message_id > ?", 1023L)).isZero();
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
