package dev.switchboard.im.store.postgres;

import dev.switchboard.im.store.PendingAcks;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Acknowledgements on their way to {@code cursors}, in batches ({@link PendingAcks}): one writer operation and one
 * statement for all of a batch's users, where one operation per ack cost a round trip per delivered message. Each
 * user's highest ack is written, capped at the user's counter when the batch runs (never less strict, since it runs
 * before anything submitted after it), never moving a cursor back.
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

    private final PendingAcks pending;

    AckBatches(PostgresWriter writer) {
        this.pending = new PendingAcks(acks -> writer.submit(tx -> {
            write(tx, acks.get());
            return null;
        }));
    }

    /** Records that the user has everything up to {@code upToSeq}; completes once that is committed. */
    CompletionStage<Void> acknowledge(String userId, long upToSeq) {
        return pending.acknowledge(userId, upToSeq);
    }

    private static void write(Tx tx, Map<String, Long> acks) throws SQLException {
        List<String> users = new ArrayList<>(acks.keySet());
        Long[] seqs = new Long[users.size()];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = acks.get(users.get(i));
        }
        PreparedStatement upsert = tx.prepare(UPSERT_ACKS);
        upsert.setArray(1, tx.textArray(users));
        upsert.setArray(2, tx.bigintArray(seqs));
        upsert.executeUpdate();
    }
}
