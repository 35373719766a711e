package dev.switchboard.im.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Deletes what the retention periods no longer keep, a short transaction at a time: within a window of message ids
 * older than the retention period, acknowledged inbox entries, then events no inbox refers to any more and chat
 * messages no inbox refers to that are also older than the history retention (their idempotency keys go with them).
 * Unacknowledged entries are never deleted. "Older" goes by message id: the first message stored at or after the
 * cut-off time, and all after it, are kept.
 *
 * <p>A run is a sequence of {@link #step}s, each sized by an adaptive window so that it deletes about
 * {@value #TARGET_ROWS} inbox rows: the window halves after a step that deleted more, doubles after one that deleted
 * under a quarter of that. Writer thread only.
 */
final class InboxPruner {

    private static final String FIRST_KEPT =
            "SELECT message_id FROM messages WHERE stored_at >= ? ORDER BY stored_at LIMIT 1";
    private static final String FIRST_MESSAGE = "SELECT MIN(message_id) FROM messages";
    private static final String PRUNE_ENTRIES = """
            DELETE FROM inbox WHERE message_id >= ?1 AND message_id < ?2
            AND seq <= COALESCE((SELECT acked_seq FROM cursors c WHERE c.user_id = inbox.user_id), 0)""";
    private static final String PRUNE_MESSAGES = """
            DELETE FROM messages WHERE message_id >= ?1 AND message_id < ?2
            AND (conversation IS NULL OR message_id < ?3)
            AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.message_id = messages.message_id)""";

    /** Inbox rows one step aims to delete, so that each stays a short transaction. */
    static final int TARGET_ROWS = 10_000;
    private static final int MIN_WINDOW = 16;
    private static final int MAX_WINDOW = 4096;

    private final LongSupplier clock;
    private final long retentionMillis;
    private final long historyRetentionMillis;

    private long from = -1; // -1: no run in progress
    private long to;        // the first message id this run keeps
    private long historyTo; // the first chat message id this run keeps
    private int window = 256;

    InboxPruner(LongSupplier clock, Duration retention, Duration historyRetention) {
        this.clock = clock;
        this.retentionMillis = retention.toMillis();
        this.historyRetentionMillis = historyRetention.toMillis();
    }

    boolean inProgress() {
        return from >= 0;
    }

    /** Abandons the run in progress (after a rollback); the next step starts a new one. */
    void reset() {
        from = -1;
    }

    /**
     * One step; returns whether the run has more.
     *
     * @param nextMessageId the id the next stored message would get, for when every message is past the retention
     */
    boolean step(SqliteConnection db, LongSupplierWithSql nextMessageId) throws SQLException {
        if (from < 0 && !begin(db, nextMessageId)) {
            return false;
        }
        long end = Math.min(from + window, to);
        int entries = deleteRange(db, PRUNE_ENTRIES, from, end, -1);
        deleteRange(db, PRUNE_MESSAGES, from, end, historyTo);
        if (entries > TARGET_ROWS) {
            window = Math.max(MIN_WINDOW, window / 2);
        } else if (entries < TARGET_ROWS / 4) {
            window = Math.min(MAX_WINDOW, window * 2);
        }
        from = end;
        if (from >= to) {
            from = -1;
            return false;
        }
        return true;
    }

    /** Finds the range of a new run; false if there is nothing to prune. */
    private boolean begin(SqliteConnection db, LongSupplierWithSql nextMessageId) throws SQLException {
        to = firstKept(db, retentionMillis, nextMessageId);
        historyTo = firstKept(db, historyRetentionMillis, nextMessageId);
        try (ResultSet row = db.prepare(FIRST_MESSAGE).executeQuery()) {
            from = row.next() ? row.getLong(1) : 0;
        }
        if (from == 0 || from >= to) {
            from = -1;
            return false;
        }
        return true;
    }

    /** The first message id stored within the last {@code millis}. */
    private long firstKept(SqliteConnection db, long millis, LongSupplierWithSql nextMessageId) throws SQLException {
        PreparedStatement firstKept = db.prepare(FIRST_KEPT);
        firstKept.setLong(1, clock.getAsLong() - millis);
        try (ResultSet row = firstKept.executeQuery()) {
            return row.next() ? row.getLong(1) : nextMessageId.get();
        }
    }

    private static int deleteRange(SqliteConnection db, String sql, long from, long to, long historyTo)
            throws SQLException {
        PreparedStatement delete = db.prepare(sql);
        delete.setLong(1, from);
        delete.setLong(2, to);
        if (historyTo >= 0) { // only PRUNE_MESSAGES has the third parameter
            delete.setLong(3, historyTo);
        }
        int deleted = delete.executeUpdate();
        db.wrote(deleted);
        return deleted;
    }

    /** A long read that may need the database. */
    @FunctionalInterface
    interface LongSupplierWithSql {
        long get() throws SQLException;
    }
}
