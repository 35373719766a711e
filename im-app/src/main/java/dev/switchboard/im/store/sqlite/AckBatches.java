package dev.switchboard.im.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Acknowledgements on their way to {@code cursors}: an ack joins the one batch still waiting in the writer's queue,
 * if there is one, and each batch is one writer operation that writes each user's highest ack once. Every member of
 * a group acknowledges every message, so one operation per ack would put a thousand operations behind each group
 * message.
 *
 * <p>A batch caps each ack at the user's last seq when it runs rather than when the ack came: never less strict,
 * since it runs before anything submitted after it. Its stage completes when its transaction commits, shared by the
 * acks it holds.
 */
final class AckBatches {

    private static final String UPSERT_ACK = """
            INSERT INTO cursors (user_id, acked_seq) VALUES (?, ?)
            ON CONFLICT (user_id) DO UPDATE SET acked_seq = MAX(acked_seq, excluded.acked_seq)""";

    /** The user's last assigned seq, on the writer thread. */
    @FunctionalInterface
    interface LastSeq {
        long of(SqliteConnection db, String userId) throws SQLException;
    }

    private final StoreWriter writer;
    private final LastSeq lastSeq;
    private Batch waiting; // guarded by this: the batch not yet started

    AckBatches(StoreWriter writer, LastSeq lastSeq) {
        this.writer = writer;
        this.lastSeq = lastSeq;
    }

    /** Records that the user has everything up to {@code upToSeq}; completes once that is committed. */
    synchronized CompletionStage<Void> acknowledge(String userId, long upToSeq) {
        Batch batch = waiting;
        if (batch == null) {
            batch = new Batch();
            CompletableFuture<Void> committed = writer.submit(batch);
            if (committed.isDone()) {
                return committed; // rejected (queue full, not running): this ack is not recorded
            }
            batch.committed = committed;
            waiting = batch;
        }
        batch.upTo.merge(userId, upToSeq, Math::max);
        return batch.committed.minimalCompletionStage(); // shared: no caller may complete it for the others
    }

    private synchronized void started(Batch batch) {
        if (waiting == batch) {
            waiting = null; // later acks start the next batch
        }
    }

    /** One writer operation: the highest ack per user. */
    private final class Batch implements StoreWriter.Op<Void> {
        /** Filled while the batch waits, no longer once it ran: a retry after a rollback writes the same. */
        final Map<String, Long> upTo = new HashMap<>();
        CompletableFuture<Void> committed;

        @Override
        public Void run(SqliteConnection db) throws SQLException {
            started(this);
            PreparedStatement upsert = db.prepare(UPSERT_ACK);
            int rows = 0;
            for (Map.Entry<String, Long> ack : upTo.entrySet()) {
                long target = Math.min(ack.getValue(), lastSeq.of(db, ack.getKey())); // never past what was assigned
                if (target > 0) {
                    upsert.setString(1, ack.getKey());
                    upsert.setLong(2, target);
                    upsert.executeUpdate();
                    rows++;
                }
            }
            db.wrote(rows);
            return null;
        }
    }
}
