package dev.switchboard.im.store.sqlite;

import dev.switchboard.im.store.Appended;
import dev.switchboard.im.store.InboxArgs;
import dev.switchboard.im.store.InboxEntry;
import dev.switchboard.im.store.MessageStore;
import dev.switchboard.im.store.NewMessage;
import dev.switchboard.im.store.StoredMessage;
import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * {@link MessageStore} of {@link SqliteStorage}.
 *
 * <p>Ids are assigned here, on the writer thread, from in-memory counters: the last message id, and each user's last
 * seq (loaded on first use as the larger of the user's highest stored seq and acknowledged seq, which stays correct
 * after pruning because acks are capped at the last seq). Message ids come from an AUTOINCREMENT table, so they are
 * never reused either, even after the newest message was pruned. A rollback drops the counters; they reload.
 */
final class SqliteMessageStore implements MessageStore {

    /** Users whose last seq is kept in memory; past this the map is cleared and refilled lazily. */
    static final int SEQ_CACHE_SIZE = 1_000_000;

    private static final String LAST_MESSAGE_ID = """
            SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0),
                       COALESCE((SELECT MAX(message_id) FROM messages), 0))""";
    private static final String LAST_SEQ = """
            SELECT MAX(COALESCE((SELECT MAX(seq) FROM inbox WHERE user_id = ?1), 0),
                       COALESCE((SELECT acked_seq FROM cursors WHERE user_id = ?1), 0))""";
    private static final String ORIGINAL = """
            SELECT message_id, sender_name, group_id, text, sent_at FROM messages
            WHERE sender_id = ? AND client_msg_id = ?""";
    private static final String ORIGINAL_SEQS = "SELECT user_id, seq FROM inbox WHERE message_id = ?";
    private static final String INSERT_MESSAGE = """
            INSERT INTO messages (message_id, sender_id, sender_name, client_msg_id, group_id, text, sent_at, stored_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";
    private static final String INSERT_ENTRY = "INSERT INTO inbox (user_id, seq, message_id) VALUES (?, ?, ?)";
    private static final String INBOX_AFTER = """
            SELECT i.seq, m.message_id, m.sender_id, m.sender_name, m.group_id, m.text, m.sent_at
            FROM inbox i JOIN messages m ON m.message_id = i.message_id
            WHERE i.user_id = ? AND i.seq > ? ORDER BY i.seq LIMIT ?""";
    private static final String UPSERT_ACK = """
            INSERT INTO cursors (user_id, acked_seq) VALUES (?, ?)
            ON CONFLICT (user_id) DO UPDATE SET acked_seq = MAX(acked_seq, excluded.acked_seq)""";
    private static final String ACKED = "SELECT acked_seq FROM cursors WHERE user_id = ?";

    private final StoreWriter writer;
    private final LongSupplier clock;
    private final InboxPruner pruner;

    // Writer thread only.
    private long lastMessageId = -1; // -1: not loaded
    private final Map<String, long[]> lastSeqs = new HashMap<>();

    SqliteMessageStore(StoreWriter writer, LongSupplier clock, Duration retention) {
        this.writer = writer;
        this.clock = clock;
        this.pruner = new InboxPruner(clock, retention);
    }

    @Override
    public CompletionStage<Appended> append(NewMessage message) {
        requireNonNull(message, "message");
        return writer.submit(db -> append(db, message));
    }

    @Override
    public CompletionStage<List<InboxEntry>> inboxAfter(String userId, long afterSeq, int limit) {
        requireNonNull(userId, "userId");
        InboxArgs.checkPage(afterSeq, limit);
        return writer.submit(db -> {
            PreparedStatement select = db.prepare(INBOX_AFTER);
            select.setString(1, userId);
            select.setLong(2, afterSeq);
            select.setInt(3, limit);
            List<InboxEntry> entries = new ArrayList<>(Math.min(limit, 64));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    StoredMessage message = new StoredMessage(rows.getLong(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), rows.getString(6), rows.getLong(7));
                    entries.add(new InboxEntry(userId, rows.getLong(1), message));
                }
            }
            return entries;
        });
    }

    @Override
    public CompletionStage<Void> acknowledge(String userId, long upToSeq) {
        requireNonNull(userId, "userId");
        InboxArgs.checkAck(upToSeq);
        return writer.submit(db -> {
            long target = Math.min(upToSeq, lastSeq(db, userId)[0]); // never past what was assigned
            if (target > 0) {
                PreparedStatement upsert = db.prepare(UPSERT_ACK);
                upsert.setString(1, userId);
                upsert.setLong(2, target);
                upsert.executeUpdate();
                db.wrote(1);
            }
            return null;
        });
    }

    @Override
    public CompletionStage<Long> lastSeq(String userId) {
        requireNonNull(userId, "userId");
        return writer.submit(db -> lastSeq(db, userId)[0]);
    }

    @Override
    public CompletionStage<Long> acknowledgedSeq(String userId) {
        requireNonNull(userId, "userId");
        return writer.submit(db -> {
            PreparedStatement select = db.prepare(ACKED);
            select.setString(1, userId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0L;
            }
        });
    }

    private Appended append(SqliteConnection db, NewMessage message) throws SQLException {
        long messageId = nextMessageId(db);
        PreparedStatement insert = db.prepare(INSERT_MESSAGE);
        insert.setLong(1, messageId);
        insert.setString(2, message.senderId());
        insert.setString(3, message.senderName());
        setNullableString(insert, 4, message.clientMsgId());
        setNullableString(insert, 5, message.groupId());
        insert.setString(6, message.text());
        insert.setLong(7, message.timestamp());
        insert.setLong(8, clock.getAsLong());
        // Most sends are not retries: insert and let the unique (sender, clientMsgId) index catch the few that are,
        // instead of looking every message up first.
        if (insert.executeUpdate() == 0) {
            lastMessageId--; // the id was not used
            Appended original = original(db, message.senderId(), message.clientMsgId());
            if (original == null) {
                throw new SQLException("message insert ignored, yet no earlier message with its clientMsgId");
            }
            return original;
        }

        List<String> recipients = message.recipientIds();
        Map<String, Long> seqs = new HashMap<>((int) (recipients.size() / 0.75f) + 1);
        PreparedStatement entry = db.prepare(INSERT_ENTRY);
        try {
            for (String recipient : recipients) {
                if (seqs.containsKey(recipient)) {
                    continue;
                }
                long seq = ++lastSeq(db, recipient)[0];
                entry.setString(1, recipient);
                entry.setLong(2, seq);
                entry.setLong(3, messageId);
                entry.addBatch();
                seqs.put(recipient, seq);
            }
            if (!seqs.isEmpty()) {
                entry.executeBatch();
            }
        } catch (SQLException | RuntimeException e) {
            entry.clearBatch(); // the statement is cached: leave no rows behind for its next use
            throw e;
        }
        db.wrote(1 + seqs.size());
        StoredMessage stored = new StoredMessage(messageId, message.senderId(), message.senderName(),
                message.groupId(), message.text(), message.timestamp());
        return new Appended(stored, Collections.unmodifiableMap(seqs), false);
    }

    /** The earlier append with this (senderId, clientMsgId), or null. */
    private static Appended original(SqliteConnection db, String senderId, String clientMsgId) throws SQLException {
        PreparedStatement select = db.prepare(ORIGINAL);
        select.setString(1, senderId);
        select.setString(2, clientMsgId);
        StoredMessage message;
        try (ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                return null;
            }
            message = new StoredMessage(row.getLong(1), senderId, row.getString(2), row.getString(3),
                    row.getString(4), row.getLong(5));
        }
        PreparedStatement selectSeqs = db.prepare(ORIGINAL_SEQS);
        selectSeqs.setLong(1, message.messageId());
        Map<String, Long> seqs = new HashMap<>();
        try (ResultSet rows = selectSeqs.executeQuery()) {
            while (rows.next()) {
                seqs.put(rows.getString(1), rows.getLong(2));
            }
        }
        return new Appended(message, Collections.unmodifiableMap(seqs), true);
    }

    private long nextMessageId(SqliteConnection db) throws SQLException {
        loadLastMessageId(db);
        return ++lastMessageId;
    }

    /** Loads the last id issued, once (and again after a rollback dropped it). */
    private void loadLastMessageId(SqliteConnection db) throws SQLException {
        if (lastMessageId < 0) {
            lastMessageId = queryLong(db, LAST_MESSAGE_ID);
        }
    }

    /** The user's last assigned seq, as a mutable cell. */
    private long[] lastSeq(SqliteConnection db, String userId) throws SQLException {
        long[] cell = lastSeqs.get(userId);
        if (cell == null) {
            if (lastSeqs.size() >= SEQ_CACHE_SIZE) {
                lastSeqs.clear(); // safe: every cell can be reloaded from the database (this transaction included)
            }
            PreparedStatement select = db.prepare(LAST_SEQ);
            select.setString(1, userId);
            try (ResultSet row = select.executeQuery()) {
                cell = new long[] {row.next() ? row.getLong(1) : 0};
            }
            lastSeqs.put(userId, cell);
        }
        return cell;
    }

    /** Forgets the in-memory counters after a rollback, which may have undone ids and seqs they already count. */
    void resetCache() {
        lastMessageId = -1;
        lastSeqs.clear();
        pruner.reset();
    }

    boolean pruneInProgress() {
        return pruner.inProgress();
    }

    /** One step of pruning, on the writer thread ({@link InboxPruner}); returns whether the run has more steps. */
    boolean pruneStep(SqliteConnection db) throws SQLException {
        return pruner.step(db, () -> {
            loadLastMessageId(db);
            return lastMessageId + 1;
        });
    }

    private static long queryLong(SqliteConnection db, String sql) throws SQLException {
        try (ResultSet row = db.prepare(sql).executeQuery()) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    private static void setNullableString(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
