package dev.switchboard.im.store.postgres;

import dev.switchboard.im.store.Appended;
import dev.switchboard.im.store.Changed;
import dev.switchboard.im.store.Conversation;
import dev.switchboard.im.store.ConversationSummary;
import dev.switchboard.im.store.EntryKind;
import dev.switchboard.im.store.InboxArgs;
import dev.switchboard.im.store.InboxEntry;
import dev.switchboard.im.store.MemberSince;
import dev.switchboard.im.store.MessageChange;
import dev.switchboard.im.store.MessageStore;
import dev.switchboard.im.store.NewMessage;
import dev.switchboard.im.store.ReadMark;
import dev.switchboard.im.store.StoredMessage;
import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * {@link MessageStore} of {@link PostgresStorage}. Nothing is counted in memory, so that any number of nodes may
 * append to one database:
 * <ul>
 *   <li>a message id comes from the {@code messages} identity sequence, drawn after the transaction locked the
 *       recipients' counters ({@link PostgresWriter}), so for each recipient id order is seq order;</li>
 *   <li>a recipient's seq is its {@code inbox_seqs} row bumped by {@code UPDATE ... RETURNING} in the appending
 *       transaction, under that row's lock: contiguous whichever node writes, and rolled back with the transaction
 *       if it fails;</li>
 *   <li>deduplication is the unique index on (sender_id, client_msg_id): the insert does nothing on a conflict
 *       (waiting, if another node's insert of the same key is in flight, for it to commit), and the original message
 *       and its seqs are read back.</li>
 * </ul>
 */
final class PostgresMessageStore implements MessageStore {

    /** The columns {@link #message} reads, in its order. */
    private static final String COLUMNS =
            "m.message_id, m.kind, m.sender_id, m.sender_name, m.group_id, m.to_user_id, "
                    + "COALESCE(m.edited_text, m.text), m.sent_at, m.ref_message_id, m.edited_at, m.recalled_at";
    /**
     * Inserts the message, bumps each recipient's counter (locked by the writer already) and files the entry under
     * the new seq, in one statement: one row per recipient, or one row of nulls after the message id when there are
     * none. No row at all is a duplicate (sender_id, client_msg_id): nothing was written.
     */
    private static final String APPEND = """
            WITH inserted AS (
                INSERT INTO messages (kind, sender_id, sender_name, client_msg_id, group_id, to_user_id, text,
                                      sent_at, stored_at, ref_message_id, conversation)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (sender_id, client_msg_id) WHERE client_msg_id IS NOT NULL DO NOTHING
                RETURNING message_id),
            bumped AS (
                UPDATE inbox_seqs SET last_seq = last_seq + 1
                WHERE user_id = ANY (?) AND EXISTS (SELECT 1 FROM inserted)
                RETURNING user_id, last_seq),
            filed AS (
                INSERT INTO inbox (user_id, seq, message_id)
                SELECT b.user_id, b.last_seq, m.message_id FROM bumped b CROSS JOIN inserted m
                RETURNING user_id, seq)
            SELECT m.message_id, f.user_id, f.seq FROM inserted m LEFT JOIN filed f ON true""";
    private static final String ORIGINAL = "SELECT " + COLUMNS + " FROM messages m"
            + " WHERE m.sender_id = ? AND m.client_msg_id = ?";
    private static final String INSERT_PEERS =
            "INSERT INTO direct_peers (user_id, peer_id) VALUES (?, ?), (?, ?) ON CONFLICT DO NOTHING";
    private static final String INBOX_AFTER = "SELECT i.seq, " + COLUMNS
            + " FROM inbox i JOIN messages m ON m.message_id = i.message_id"
            + " WHERE i.user_id = ? AND i.seq > ? ORDER BY i.seq LIMIT ?";
    private static final String LAST_SEQ = "SELECT last_seq FROM inbox_seqs WHERE user_id = ?";
    private static final String ACKED = "SELECT acked_seq FROM cursors WHERE user_id = ?";
    private static final String HISTORY = "SELECT " + COLUMNS + " FROM messages m"
            + " WHERE m.conversation = ? AND m.message_id > ? AND m.message_id < ? ORDER BY m.message_id DESC LIMIT ?";
    private static final String LAST_IN_CONVERSATION = "SELECT " + COLUMNS + " FROM messages m"
            + " WHERE m.conversation = ? AND m.message_id > ? AND m.kind = 0 ORDER BY m.message_id DESC LIMIT 1";
    private static final String UNREAD = """
            SELECT COUNT(*) FROM (SELECT 1 FROM messages
                WHERE conversation = ? AND message_id > ? AND sender_id <> ? AND kind = 0 LIMIT ?) AS unread""";
    private static final String PEERS = "SELECT peer_id FROM direct_peers WHERE user_id = ? LIMIT ?";
    private static final String READ_POSITION =
            "SELECT message_id FROM read_positions WHERE conversation = ? AND user_id = ?";
    private static final String UPSERT_READ = """
            INSERT INTO read_positions (conversation, user_id, message_id) VALUES (?, ?, ?)
            ON CONFLICT (conversation, user_id)
                DO UPDATE SET message_id = GREATEST(read_positions.message_id, excluded.message_id)""";
    private static final String READ_COUNT =
            "SELECT COUNT(*) FROM read_positions WHERE conversation = ? AND message_id >= ? AND user_id <> ?";
    private static final String MESSAGE_IN_CONVERSATION = "SELECT " + COLUMNS + " FROM messages m"
            + " WHERE m.message_id = ? AND m.conversation = ? FOR UPDATE";
    private static final String EDIT = "UPDATE messages SET edited_text = ?, edited_at = ? WHERE message_id = ?";
    /** A recall drops the text, edits included: it is the author's to take back. */
    private static final String RECALL =
            "UPDATE messages SET text = '', edited_text = NULL, recalled_at = ? WHERE message_id = ?";
    private static final String RECALL_EDITS =
            "UPDATE messages SET text = '', recalled_at = ? WHERE kind = 3 AND ref_message_id = ?";

    /** Direct conversations remembered in {@link #knownPeers}; past this the set is cleared and refilled. */
    static final int KNOWN_PEERS_SIZE = 1_000_000;

    private final PostgresWriter writer;
    private final LongSupplier clock;
    /**
     * Direct conversations whose two {@code direct_peers} rows are committed, so that a send skips that insert (a
     * round trip per message). Added only after the commit, and rows are never deleted, so an entry is never wrong;
     * another node that does not know a pair yet inserts it again, which the primary key ignores.
     */
    private final Set<String> knownPeers = ConcurrentHashMap.newKeySet();
    private final AckBatches acks;

    PostgresMessageStore(PostgresWriter writer, LongSupplier clock) {
        this.writer = writer;
        this.clock = clock;
        this.acks = new AckBatches(writer);
    }

    @Override
    public CompletionStage<Appended> append(NewMessage message) {
        requireNonNull(message, "message");
        List<String> recipients = distinct(message.recipientIds());
        String peers = message.kind() == EntryKind.MESSAGE && message.toUserId() != null
                ? Conversation.direct(message.toUserId()).key(message.senderId()) : null;
        CompletionStage<Appended> appended = writer.submit(recipients,
                tx -> append(tx, message, recipients, peers != null && !knownPeers.contains(peers)));
        if (peers == null) {
            return appended;
        }
        return appended.thenApply(committed -> {
            if (knownPeers.size() >= KNOWN_PEERS_SIZE) {
                knownPeers.clear(); // safe: a forgotten pair is inserted again, which the primary key ignores
            }
            knownPeers.add(peers);
            return committed;
        });
    }

    private static List<String> distinct(List<String> ids) {
        return ids.size() == 1 ? ids : List.copyOf(new LinkedHashSet<>(ids));
    }

    private Appended append(Tx tx, NewMessage message, List<String> recipients, boolean insertPeers)
            throws SQLException {
        PreparedStatement insert = tx.prepare(APPEND);
        insert.setInt(1, message.kind().code());
        insert.setString(2, message.senderId());
        insert.setString(3, message.senderName());
        setNullable(insert, 4, message.clientMsgId());
        setNullable(insert, 5, message.groupId());
        setNullable(insert, 6, message.toUserId());
        insert.setString(7, message.text());
        insert.setLong(8, message.timestamp());
        insert.setLong(9, clock.getAsLong());
        insert.setLong(10, message.refMessageId());
        setNullable(insert, 11, message.kind().inHistory() ? message.conversation().key(message.senderId()) : null);
        insert.setArray(12, tx.textArray(recipients));
        long messageId = 0;
        Map<String, Long> seqs = new HashMap<>((int) (recipients.size() / 0.75f) + 1);
        try (ResultSet rows = insert.executeQuery()) {
            while (rows.next()) {
                messageId = rows.getLong(1);
                String recipient = rows.getString(2);
                if (recipient != null) {
                    seqs.put(recipient, rows.getLong(3));
                }
            }
        }
        if (messageId == 0) {
            Appended original = original(tx, message.senderId(), message.clientMsgId());
            if (original == null) {
                throw new SQLException("message insert did nothing, yet no earlier message with its clientMsgId");
            }
            return original;
        }
        if (seqs.size() != recipients.size()) {
            throw new SQLException("fan-out of message " + messageId + " found " + seqs.size() + " of "
                    + recipients.size() + " inbox counters; the writer should have created them");
        }
        if (insertPeers) {
            PreparedStatement peers = tx.prepare(INSERT_PEERS);
            peers.setString(1, message.senderId());
            peers.setString(2, message.toUserId());
            peers.setString(3, message.toUserId());
            peers.setString(4, message.senderId());
            peers.executeUpdate();
        }
        StoredMessage stored = new StoredMessage(messageId, message.kind(), message.senderId(), message.senderName(),
                message.groupId(), message.toUserId(), message.text(), message.timestamp(), message.refMessageId());
        return new Appended(stored, Collections.unmodifiableMap(seqs), false);
    }

    /** The earlier append with this (senderId, clientMsgId), or null. */
    private static Appended original(Tx tx, String senderId, String clientMsgId) throws SQLException {
        if (clientMsgId == null) {
            return null;
        }
        PreparedStatement select = tx.prepare(ORIGINAL);
        select.setString(1, senderId);
        select.setString(2, clientMsgId);
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? Appended.duplicateOf(message(row, 1)) : null;
        }
    }

    @Override
    public CompletionStage<List<InboxEntry>> inboxAfter(String userId, long afterSeq, int limit) {
        requireNonNull(userId, "userId");
        InboxArgs.checkPage(afterSeq, limit);
        return writer.submit(tx -> {
            PreparedStatement select = tx.prepare(INBOX_AFTER);
            select.setString(1, userId);
            select.setLong(2, afterSeq);
            select.setInt(3, limit);
            List<InboxEntry> entries = new ArrayList<>(Math.min(limit, 64));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(new InboxEntry(userId, rows.getLong(1), message(rows, 2)));
                }
            }
            return entries;
        });
    }

    @Override
    public CompletionStage<Void> acknowledge(String userId, long upToSeq) {
        requireNonNull(userId, "userId");
        InboxArgs.checkAck(upToSeq);
        return acks.acknowledge(userId, upToSeq);
    }

    @Override
    public CompletionStage<Long> acknowledgedSeq(String userId) {
        requireNonNull(userId, "userId");
        return writer.submit(tx -> queryLong(tx, ACKED, userId));
    }

    @Override
    public CompletionStage<Long> lastSeq(String userId) {
        requireNonNull(userId, "userId");
        return writer.submit(tx -> queryLong(tx, LAST_SEQ, userId));
    }

    @Override
    public CompletionStage<List<StoredMessage>> history(String userId, Conversation conversation,
            long afterMessageId, long beforeMessageId, int limit) {
        requireNonNull(userId, "userId");
        requireNonNull(conversation, "conversation");
        InboxArgs.checkHistory(afterMessageId, beforeMessageId, limit);
        String key = conversation.key(userId);
        return writer.submit(tx -> {
            PreparedStatement select = tx.prepare(HISTORY);
            select.setString(1, key);
            select.setLong(2, afterMessageId);
            select.setLong(3, beforeMessageId);
            select.setInt(4, limit);
            List<StoredMessage> page = new ArrayList<>(Math.min(limit, 64));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    page.add(message(rows, 1));
                }
            }
            return page;
        });
    }

    @Override
    public CompletionStage<List<ConversationSummary>> conversations(String userId, List<MemberSince> groups,
            long beforeActiveAt, int limit) {
        requireNonNull(userId, "userId");
        List<MemberSince> memberships = List.copyOf(groups);
        InboxArgs.checkHistory(0, beforeActiveAt, limit);
        return writer.submit(tx -> {
            List<ConversationSummary> all = new ArrayList<>();
            for (String peerId : peers(tx, userId, Integer.MAX_VALUE)) {
                all.add(summary(tx, userId, Conversation.direct(peerId), 0));
            }
            for (MemberSince membership : memberships) {
                all.add(summary(tx, userId, Conversation.group(membership.groupId()), membership.afterMessageId()));
            }
            return ConversationSummary.page(all, beforeActiveAt, limit);
        });
    }

    private static ConversationSummary summary(Tx tx, String userId, Conversation conversation, long joinedAfter)
            throws SQLException {
        String key = conversation.key(userId);
        long read = readPosition(tx, key, userId);
        StoredMessage last = newest(tx, key, joinedAfter);
        int unread = 0;
        if (last != null) {
            PreparedStatement count = tx.prepare(UNREAD);
            count.setString(1, key);
            count.setLong(2, Math.max(read, joinedAfter));
            count.setString(3, userId);
            count.setInt(4, ConversationSummary.UNREAD_CAP);
            unread = (int) PostgresWriter.queryLong(count);
        }
        return ConversationSummary.of(conversation, last, read, unread, joinedAfter);
    }

    /** The conversation's newest chat message after {@code after}, or null. */
    private static StoredMessage newest(Tx tx, String key, long after) throws SQLException {
        PreparedStatement select = tx.prepare(LAST_IN_CONVERSATION);
        select.setString(1, key);
        select.setLong(2, after);
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? message(row, 1) : null;
        }
    }

    private static List<String> peers(Tx tx, String userId, int limit) throws SQLException {
        PreparedStatement select = tx.prepare(PEERS);
        select.setString(1, userId);
        select.setInt(2, limit);
        List<String> peers = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                peers.add(rows.getString(1));
            }
        }
        return peers;
    }

    private static long readPosition(Tx tx, String key, String userId) throws SQLException {
        PreparedStatement select = tx.prepare(READ_POSITION);
        select.setString(1, key);
        select.setString(2, userId);
        return PostgresWriter.queryLong(select);
    }

    @Override
    public CompletionStage<ReadMark> markRead(String userId, String userName, Conversation conversation,
            long upToMessageId, long timestamp) {
        requireNonNull(userId, "userId");
        requireNonNull(userName, "userName");
        requireNonNull(conversation, "conversation");
        InboxArgs.checkAck(upToMessageId);
        String key = conversation.key(userId);
        // The event's recipients are known now: their counters are locked before the read position is read, so two
        // nodes moving one user's position take turns.
        List<String> recipients = distinct(NewMessage.read(userId, userName, conversation, 0, 0).recipientIds());
        return writer.submit(recipients, tx -> {
            long current = readPosition(tx, key, userId);
            StoredMessage newest = newest(tx, key, 0);
            long target = Math.min(upToMessageId, newest == null ? 0 : newest.messageId());
            if (target <= current) {
                return new ReadMark(current, Optional.empty());
            }
            PreparedStatement upsert = tx.prepare(UPSERT_READ);
            upsert.setString(1, key);
            upsert.setString(2, userId);
            upsert.setLong(3, target);
            upsert.executeUpdate();
            NewMessage event = NewMessage.read(userId, userName, conversation, target, timestamp);
            return new ReadMark(target, Optional.of(append(tx, event, recipients, false)));
        });
    }

    @Override
    public CompletionStage<Long> readPosition(String userId, Conversation conversation) {
        requireNonNull(userId, "userId");
        requireNonNull(conversation, "conversation");
        String key = conversation.key(userId);
        return writer.submit(tx -> readPosition(tx, key, userId));
    }

    @Override
    public CompletionStage<Integer> readCount(String groupId, long messageId, String exceptUserId) {
        requireNonNull(groupId, "groupId");
        requireNonNull(exceptUserId, "exceptUserId");
        String key = Conversation.group(groupId).key(exceptUserId);
        return writer.submit(tx -> {
            PreparedStatement count = tx.prepare(READ_COUNT);
            count.setString(1, key);
            count.setLong(2, messageId);
            count.setString(3, exceptUserId);
            return (int) PostgresWriter.queryLong(count);
        });
    }

    @Override
    public CompletionStage<Changed> change(MessageChange change) {
        requireNonNull(change, "change");
        NewMessage event = change.event();
        List<String> recipients = distinct(event.recipientIds());
        String key = change.conversation().key(change.userId());
        return writer.submit(recipients, tx -> {
            PreparedStatement select = tx.prepare(MESSAGE_IN_CONVERSATION);
            select.setLong(1, change.messageId());
            select.setString(2, key);
            StoredMessage message;
            try (ResultSet row = select.executeQuery()) {
                message = row.next() ? message(row, 1) : null;
            }
            Changed.Outcome outcome = Changed.check(message, change);
            if (outcome != Changed.Outcome.CHANGED) {
                return new Changed(outcome, message, null);
            }
            PreparedStatement update;
            if (change.kind() == EntryKind.EDIT) {
                update = tx.prepare(EDIT);
                update.setString(1, change.newText());
                update.setLong(2, change.now());
                update.setLong(3, change.messageId());
            } else {
                update = tx.prepare(RECALL);
                update.setLong(1, change.now());
                update.setLong(2, change.messageId());
                PreparedStatement edits = tx.prepare(RECALL_EDITS);
                edits.setLong(1, change.now());
                edits.setLong(2, change.messageId());
                edits.executeUpdate();
            }
            update.executeUpdate();
            return new Changed(outcome, change.applyTo(message), append(tx, event, recipients, false));
        });
    }

    @Override
    public CompletionStage<List<String>> directPeers(String userId, int limit) {
        requireNonNull(userId, "userId");
        return writer.submit(tx -> peers(tx, userId, limit));
    }

    /** The stored message whose {@link #COLUMNS} start at column {@code first}. */
    private static StoredMessage message(ResultSet row, int first) throws SQLException {
        return new StoredMessage(row.getLong(first), EntryKind.ofCode(row.getInt(first + 1)),
                row.getString(first + 2), row.getString(first + 3), row.getString(first + 4),
                row.getString(first + 5), row.getString(first + 6), row.getLong(first + 7), row.getLong(first + 8),
                row.getLong(first + 9), row.getLong(first + 10));
    }

    private static long queryLong(Tx tx, String sql, String key) throws SQLException {
        PreparedStatement select = tx.prepare(sql);
        select.setString(1, key);
        return PostgresWriter.queryLong(select);
    }

    private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
