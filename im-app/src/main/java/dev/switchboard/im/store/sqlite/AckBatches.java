package dev.switchboard.im.store.sqlite;

import dev.switchboard.im.store.PendingAcks;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Acknowledgements on their way to {@code cursors}, in batches ({@link PendingAcks}): one writer operation writes
 * each user's highest ack once, capped at the user's last seq when it runs rather than when the ack came (never less
 * strict, since it runs before anything submitted after it).
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

    private final PendingAcks pending;

    AckBatches(StoreWriter writer, LastSeq lastSeq) {
        this.pending = new PendingAcks(acks -> writer.submit(db -> {
            write(db, acks.get(), lastSeq);
            return null;
        }));
    }

    /** Records that the user has everything up to {@code upToSeq}; completes once that is committed. */
    CompletionStage<Void> acknowledge(String userId, long upToSeq) {
        return pending.acknowledge(userId, upToSeq);
    }

    private static void write(SqliteConnection db, Map<String, Long> acks, LastSeq lastSeq) throws SQLException {
        PreparedStatement upsert = db.prepare(UPSERT_ACK);
        int rows = 0;
        for (Map.Entry<String, Long> ack : acks.entrySet()) {
            long target = Math.min(ack.getValue(), lastSeq.of(db, ack.getKey())); // never past what was assigned
            if (target > 0) {
                upsert.setString(1, ack.getKey());
                upsert.setLong(2, target);
                upsert.executeUpdate();
                rows++;
            }
        }
        db.wrote(rows);
    }
}
