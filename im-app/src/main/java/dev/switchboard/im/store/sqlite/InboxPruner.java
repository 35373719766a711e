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
 * Unacknowledged entries are never deleted; a row holds a run of entries ({@link InboxRuns}) and goes when all of
 * them are acknowledged and older than the cut-off. "Older" goes by message id: the first message stored at or after the
 * cut-off time, and all after it, are kept. Ids are assigned in storage order, so that message is found by a binary
 * search of the id order (a few primary-key probes) rather than an index on the storage time that every send would
 * pay for; a wall clock stepping back can only move the cut-off by that step. Each run first records the last id
 * issued, so that ids stay unique after the newest messages are pruned.
 *
 * <p>A run is a sequence of {@link #step}s, each sized by an adaptive window so that it deletes about
 * {@value #TARGET_ROWS} inbox rows: the window halves after a step that deleted more, doubles after one that deleted
 * under a quarter of that. Writer thread only.
 */
final class InboxPruner {

    /** The first message at or after an id, with when it was stored: one probe of {@link #firstKept}. */
    private static final String FIRST_FROM =
            "SELECT message_id, stored_at FROM messages WHERE message_id >= ? ORDER BY message_id LIMIT 1";
    private static final String RECORD_LAST_ID = """
            INSERT INTO store_counters (name, value) VALUES ('last_message_id', ?1)
            ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)""";
    private static final String FIRST_MESSAGE = "SELECT MIN(message_id) FROM messages";
    /** Rows (runs, see {@link InboxRuns}) that start in the window, end before the run's cut-off ?3, all acked. */
    private static final String PRUNE_ENTRIES = """
            DELETE FROM inbox WHERE message_id >= ?1 AND message_id < ?2 AND message_id + run <= ?3
            AND seq + run - 1 <= COALESCE((SELECT acked_seq FROM cursors c WHERE c.user_id = inbox.user_id), 0)""";
    /**
     * Messages of the window that no row holds any more. A row that holds one starts at most
     * {@link InboxRuns#MAX_RUN} - 1 ids before it; the subquery expands those rows once for the whole window.
     */
    private static final String PRUNE_MESSAGES = """
            DELETE FROM messages WHERE message_id >= ?1 AND message_id < ?2
            AND (conversation_id IS NULL OR message_id < ?3)
            AND message_id NOT IN (
                SELECT m.message_id FROM inbox i JOIN messages m
                    ON m.message_id >= i.message_id AND m.message_id < i.message_id + i.run
                    AND m.message_id >= ?1 AND m.message_id < ?2
                WHERE i.message_id > ?1 - %d AND i.message_id < ?2)""".formatted(InboxRuns.MAX_RUN);

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
        int entries = deleteRange(db, PRUNE_ENTRIES, from, end, to);
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
        long next = nextMessageId.get();
        try (ResultSet row = db.prepare(FIRST_MESSAGE).executeQuery()) {
            from = row.next() ? row.getLong(1) : 0;
        }
        if (from == 0) {
            from = -1;
            return false;
        }
        to = firstKept(db, from, next, retentionMillis);
        historyTo = firstKept(db, from, next, historyRetentionMillis);
        if (from >= to) {
            from = -1;
            return false;
        }
        PreparedStatement record = db.prepare(RECORD_LAST_ID);
        record.setLong(1, next - 1);
        db.wrote(record.executeUpdate());
        return true;
    }

    /**
     * The id of the first message stored within the last {@code millis}, or {@code next} if there is none: the least
     * id in [first, next] whose first message at or after it was stored at or after the cut-off.
     */
    private long firstKept(SqliteConnection db, long first, long next, long millis) throws SQLException {
        long cutoff = clock.getAsLong() - millis;
        long low = first;
        long high = next; // every id from high on is kept
        while (low < high) {
            long middle = low + (high - low) / 2;
            long[] found = firstFrom(db, middle);
            if (found == null || found[1] >= cutoff) {
                high = middle;
            } else {
                low = found[0] + 1; // found[0] >= middle, and it is older than the cut-off
            }
        }
        long[] kept = firstFrom(db, high);
        return kept == null ? next : kept[0];
    }

    /** The first message at or after {@code id} as {id, stored_at}, or null. */
    private static long[] firstFrom(SqliteConnection db, long id) throws SQLException {
        PreparedStatement select = db.prepare(FIRST_FROM);
        select.setLong(1, id);
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? new long[] {row.getLong(1), row.getLong(2)} : null;
        }
    }

    /** Runs one of the deletes on the window [from, to); {@code keptFrom} is its third parameter. */
    private static int deleteRange(SqliteConnection db, String sql, long from, long to, long keptFrom)
            throws SQLException {
        PreparedStatement delete = db.prepare(sql);
        delete.setLong(1, from);
        delete.setLong(2, to);
        delete.setLong(3, keptFrom);
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
