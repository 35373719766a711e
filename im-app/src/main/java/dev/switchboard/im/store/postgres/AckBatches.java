package dev.switchboard.im.store.postgres;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Acknowledgements on their way to {@code cursors}: an ack joins the one batch still waiting in the writer's queue,
 * if there is one, and each batch is one writer operation and one statement for all of its users. One operation per
 * ack cost a round trip to the database per delivered message.
 *
 * <p>Each user's highest ack is written, capped at the user's counter when the batch runs (not when the ack came:
 * never less strict, since the batch runs before anything submitted after it) and never moving a cursor back. The
 * batch's stage completes when its transaction commits, shared by the acks it holds.
 */
final class AckBatches {

    /** {@code ?1} the users, {@code ?2} their acks, in the same order; users unique (ON CONFLICT needs that). */
    private static final String UPSERT_ACKS = """
            INSERT INTO cursors (user_id, acked_seq)
                SELECT s.user_id, LEAST(a.up_to, s.last_seq)
                FROM unnest(?::text[], ?::bigint[]) AS a (user_id, up_to)
                JOIN inbox_seqs s ON s.user_id = a.user_id
                WHERE LEAST(a.up_to, s.last_seq) > 0
            ON CONFLICT (user_id) DO UPDATE SET acked_seq = GREATEST(cursors.acked_seq, excluded.acked_seq)""";

    private final PostgresWriter writer;
    private Batch waiting; // guarded by this: the batch not yet started

    AckBatches(PostgresWriter writer) {
        this.writer = writer;
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

    private synchronized Map<String, Long> started(Batch batch) {
        if (waiting == batch) {
            waiting = null; // later acks start the next batch
        }
        return batch.upTo;
    }

    /** One writer operation: the highest ack per user, in one statement. */
    private final class Batch implements PostgresWriter.Op<Void> {
        /** Filled while the batch waits, no longer once it ran: running it again after a conflict writes the same. */
        final Map<String, Long> upTo = new HashMap<>();
        CompletableFuture<Void> committed;

        @Override
        public Void run(Tx tx) throws SQLException {
            Map<String, Long> acks = started(this);
            List<String> users = new ArrayList<>(acks.keySet());
            Long[] seqs = new Long[users.size()];
            for (int i = 0; i < seqs.length; i++) {
                seqs[i] = acks.get(users.get(i));
            }
            PreparedStatement upsert = tx.prepare(UPSERT_ACKS);
            upsert.setArray(1, tx.textArray(users));
            upsert.setArray(2, tx.bigintArray(seqs));
            upsert.executeUpdate();
            return null;
        }
    }
}
