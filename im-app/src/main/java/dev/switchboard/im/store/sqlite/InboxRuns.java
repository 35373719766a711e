package dev.switchboard.im.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The inbox entries of the open transaction, held back until just before it commits and then inserted as runs. An
 * {@code inbox} row is a run: seqs {@code seq .. seq + run - 1} of one user are message ids
 * {@code message_id .. message_id + run - 1}. The messages of one transaction get consecutive ids, and each member
 * of a group the next seq, so a transaction of k messages to one group writes one row per member rather than k;
 * fan-out on write then costs rows per member and transaction, not per member and message. An entry extends the
 * user's last run only when both its seq and its message id follow on; otherwise it starts a row of its own, so a
 * run never spans an id that is not the user's.
 *
 * <p>Entries are visible to SQL only after {@link #flush}: whatever reads the inbox inside the transaction flushes
 * first. Writer thread only; dropped on rollback ({@link #clear}).
 */
final class InboxRuns {

    /**
     * The longest run one row holds. Readers look this far back from a seq or a message id for the row that holds
     * it, which keeps those lookups on an index range.
     */
    static final int MAX_RUN = 1024;

    private static final String INSERT = "INSERT INTO inbox (user_id, seq, message_id, run) VALUES (?, ?, ?, ?)";

    private static final class Run {
        final String userId;
        final long seq;
        final long messageId;
        int length = 1;

        Run(String userId, long seq, long messageId) {
            this.userId = userId;
            this.seq = seq;
            this.messageId = messageId;
        }

        boolean extendsTo(long nextSeq, long nextMessageId) {
            return length < MAX_RUN && nextSeq == seq + length && nextMessageId == messageId + length;
        }
    }

    private final List<Run> runs = new ArrayList<>();
    private final Map<String, Run> lastByUser = new HashMap<>();

    /** Adds the entry {@code (userId, seq) -> messageId}; returns whether it starts a row (for the row count). */
    boolean add(String userId, long seq, long messageId) {
        Run last = lastByUser.get(userId);
        if (last != null && last.extendsTo(seq, messageId)) {
            last.length++;
            return false;
        }
        Run run = new Run(userId, seq, messageId);
        runs.add(run);
        lastByUser.put(userId, run);
        return true;
    }

    /** Whether entries of this user wait for the flush. */
    boolean holds(String userId) {
        return lastByUser.containsKey(userId);
    }

    /** Inserts every run held, in one batch, and forgets them; later entries start new rows. */
    void flush(SqliteConnection db) throws SQLException {
        if (runs.isEmpty()) {
            return;
        }
        PreparedStatement insert = db.prepare(INSERT);
        try {
            for (Run run : runs) {
                insert.setString(1, run.userId);
                insert.setLong(2, run.seq);
                insert.setLong(3, run.messageId);
                insert.setInt(4, run.length);
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException | RuntimeException e) {
            insert.clearBatch(); // the statement is cached: leave no rows behind for its next use
            throw e;
        } finally {
            clear();
        }
    }

    /** Forgets the runs held, after a rollback undid the transaction they belong to. */
    void clear() {
        runs.clear();
        lastByUser.clear();
    }
}
