package dev.switchboard.im.store.sqlite;

import dev.switchboard.im.store.Appended;
import dev.switchboard.im.store.Changed;
import dev.switchboard.im.store.Conversation;
import dev.switchboard.im.store.ConversationSummary;
import dev.switchboard.im.store.EntryKind;
import dev.switchboard.im.store.InboxArgs;
import dev.switchboard.im.store.InboxEntry;
import dev.switchboard.im.store.MessageStore;
import dev.switchboard.im.store.MemberSince;
import dev.switchboard.im.store.MessageChange;
import dev.switchboard.im.store.NewMessage;
import dev.switchboard.im.store.ReadMark;
import dev.switchboard.im.store.StoredMessage;
import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * {@link MessageStore} of {@link SqliteStorage}.
 *
 * <p>Ids are assigned here, on the writer thread, from in-memory counters: the last message id, and each user's last
 * seq (loaded on first use as the larger of the user's highest stored seq and acknowledged seq, which stays correct
 * after pruning because acks are capped at the last seq). Message ids are never reused either, even after the newest
 * message was pruned: the pruner records the last id issued ({@code store_counters}) before it deletes anything. A rollback drops the counters; they reload.
 *
 * <p>Where each operation runs: writes on the {@link StoreWriter}, and so do the inbox reads ({@link #inboxAfter},
 * {@link #lastSeq}, {@link #acknowledgedSeq}): {@code lastSeq} answers from the writer's seq counters, and delivery
 * relies on an inbox page submitted after an append seeing it, which only the writer's submission order gives.
 * {@link #history}, {@link #conversations}, {@link #readPosition}, {@link #readCount} and {@link #directPeers} run
 * on the {@link StoreReaders}, after every operation submitted before them is committed (see
 * {@link StoreReaders#submit}). They find a conversation's number with a subquery of
 * the {@code conversations} table rather than through {@link ConversationNumbers}, whose cache is the writer's and
 * may hold a number its open transaction assigned and may yet roll back.
 *
 * <p>Inbox entries are written as runs just before each commit ({@link InboxRuns}, flushed by the writer's
 * before-commit hook and by every inbox read inside the transaction); acknowledgements go in batches
 * ({@link AckBatches}).
 */
final class SqliteMessageStore implements MessageStore {

    /** Users whose last seq is kept in memory; past this the map is cleared and refilled lazily. */
    static final int SEQ_CACHE_SIZE = 1_000_000;

    private static final String LAST_MESSAGE_ID = """
            SELECT MAX(COALESCE((SELECT value FROM store_counters WHERE name = 'last_message_id'), 0),
                       COALESCE((SELECT MAX(message_id) FROM messages), 0))""";
    /** The user's last row ends the inbox: rows are runs ({@link InboxRuns}) that never overlap. */
    private static final String LAST_SEQ = """
            SELECT MAX(COALESCE((SELECT seq + run - 1 FROM inbox WHERE user_id = ?1 ORDER BY seq DESC LIMIT 1), 0),
                       COALESCE((SELECT acked_seq FROM cursors WHERE user_id = ?1), 0))""";
    /** The columns {@link #message} reads, in its order. */
    private static final String COLUMNS =
            "m.message_id, m.kind, m.sender_id, m.sender_name, m.group_id, m.to_user_id, "
                    + "COALESCE(m.edited_text, m.text), m.sent_at, m.ref_message_id, m.edited_at, m.recalled_at";
    private static final String ORIGINAL = "SELECT " + COLUMNS + " FROM messages m "
            + "WHERE m.sender_id = ? AND m.client_msg_id = ?";
    private static final String INSERT_MESSAGE = """
            INSERT INTO messages (message_id, kind, sender_id, sender_name, client_msg_id, group_id, to_user_id, text,
                                  sent_at, stored_at, ref_message_id, conversation_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";
    private static final String INSERT_PEERS =
            "INSERT OR IGNORE INTO direct_peers (user_id, peer_id) VALUES (?1, ?2), (?2, ?1)";
    /**
     * The entries after seq {@code ?2}, each run expanded to its messages: entry {@code seq + k} of a row is message
     * {@code message_id + k}. A row that holds seq {@code ?2 + 1} starts at most {@link InboxRuns#MAX_RUN} - 1
     * before it, which bounds the primary-key range; the plan walks the rows in seq order and each row's messages in
     * id order, so the ORDER BY needs no sort and the LIMIT stops the walk.
     */
    private static final String INBOX_AFTER = "SELECT i.seq + (m.message_id - i.message_id), " + COLUMNS
            + " FROM inbox i JOIN messages m ON m.message_id >= i.message_id AND m.message_id < i.message_id + i.run"
            + " AND m.message_id > i.message_id + (?2 - i.seq)"
            + " WHERE i.user_id = ?1 AND i.seq > ?2 - " + InboxRuns.MAX_RUN
            + " ORDER BY i.seq, m.message_id LIMIT ?3";
    /** A conversation's number from its key, committed; NULL (matching nothing) if it has none. */
    private static final String NUMBER_OF_KEY =
            "(SELECT conversation_id FROM conversations WHERE conversation_key = ?)";
    private static final String HISTORY = "SELECT " + COLUMNS + " FROM messages m"
            + " WHERE m.conversation_id = " + NUMBER_OF_KEY
            + " AND m.message_id > ? AND m.message_id < ? ORDER BY m.message_id DESC LIMIT ?";
    /**
     * A user's conversation list in one statement ({@link #conversations}). {@code ?1} is a JSON array with one
     * {@code [key, joinedAfter, rank]} per conversation, rank being its place in the order of
     * {@code String.valueOf(conversation)} (the tie-break of {@link ConversationSummary#MOST_RECENT_FIRST}); {@code ?2}
     * the user, {@code ?3} beforeActiveAt, {@code ?4} the limit, {@code ?5} the unread cap. The newest message is
     * found for every conversation, since the order depends on it; the read position and the unread count only for
     * the page. Rows come most recent first, keyed by their index in {@code ?1}.
     */
    private static final String CONVERSATION_PAGE = """
            WITH targets AS MATERIALIZED (
                SELECT t.key AS idx, t.value ->> 0 AS conversation_key, t.value ->> 1 AS joined_after,
                       t.value ->> 2 AS rank,
                       (SELECT c.conversation_id FROM conversations c WHERE c.conversation_key = t.value ->> 0)
                           AS number
                FROM json_each(?1) t),
            newest AS MATERIALIZED (
                SELECT targets.*,
                       (SELECT n.message_id FROM messages n WHERE n.conversation_id = targets.number
                            AND n.message_id > targets.joined_after AND n.kind = 0
                            ORDER BY n.message_id DESC LIMIT 1) AS last_id
                FROM targets),
            page AS (
                SELECT newest.*,
                       CASE WHEN last_id IS NULL THEN 2 * joined_after + 1 ELSE 2 * last_id END AS active_at
                FROM newest
                WHERE (CASE WHEN last_id IS NULL THEN 2 * joined_after + 1 ELSE 2 * last_id END) < ?3
                ORDER BY active_at DESC, rank LIMIT ?4),
            paged AS MATERIALIZED (
                SELECT page.*,
                       COALESCE((SELECT r.message_id FROM read_positions r
                                 WHERE r.conversation = page.conversation_key AND r.user_id = ?2), 0) AS read_up_to
                FROM page)
            SELECT paged.idx, paged.read_up_to,
                   CASE WHEN paged.last_id IS NULL THEN 0 ELSE
                       (SELECT COUNT(*) FROM (SELECT 1 FROM messages u WHERE u.conversation_id = paged.number
                            AND u.message_id > MAX(paged.read_up_to, paged.joined_after) AND u.sender_id <> ?2
                            AND u.kind = 0 LIMIT ?5)) END,
            """ + COLUMNS + """

            FROM paged LEFT JOIN messages m ON m.message_id = paged.last_id
            ORDER BY paged.active_at DESC, paged.rank""";
    private static final String LAST_IN_CONVERSATION = "SELECT " + COLUMNS + " FROM messages m"
            + " WHERE m.conversation_id = ? AND m.message_id > ? AND m.kind = 0 ORDER BY m.message_id DESC LIMIT 1";
    private static final String PEERS = "SELECT peer_id FROM direct_peers WHERE user_id = ? LIMIT ?";
    private static final String READ_POSITION =
            "SELECT message_id FROM read_positions WHERE conversation = ? AND user_id = ?";
    private static final String UPSERT_READ = """
            INSERT INTO read_positions (conversation, user_id, message_id) VALUES (?, ?, ?)
            ON CONFLICT (conversation, user_id) DO UPDATE SET message_id = excluded.message_id""";
    private static final String MESSAGE_IN_CONVERSATION = "SELECT " + COLUMNS + " FROM messages m"
            + " WHERE m.message_id = ? AND m.conversation_id = ?";
    private static final String EDIT = "UPDATE messages SET edited_text = ?, edited_at = ? WHERE message_id = ?";
    /** A recall drops the text, edits included: it is the author's to take back. */
    private static final String RECALL =
            "UPDATE messages SET text = '', edited_text = NULL, recalled_at = ? WHERE message_id = ?";
    private static final String RECALL_EDITS =
            "UPDATE messages SET text = '', recalled_at = ? WHERE kind = 3 AND ref_message_id = ?";
    private static final String READ_COUNT = """
            SELECT COUNT(*) FROM read_positions WHERE conversation = ? AND message_id >= ? AND user_id <> ?""";
    private static final String ACKED = "SELECT acked_seq FROM cursors WHERE user_id = ?";

    private final StoreWriter writer;
    private final StoreReaders readers;
    private final LongSupplier clock;
    private final InboxPruner pruner;

    // Writer thread only.
    private long lastMessageId = -1; // -1: not loaded
    private final Map<String, long[]> lastSeqs = new HashMap<>();
    /** Direct conversations known to be in direct_peers, so that a send inserts its pair only once. */
    private final Set<String> knownPeers = new HashSet<>();
    private final ConversationNumbers conversations = new ConversationNumbers();
    private final InboxRuns pendingEntries = new InboxRuns();
    private final AckBatches acks;

    SqliteMessageStore(StoreWriter writer, StoreReaders readers, LongSupplier clock, Duration retention,
            Duration historyRetention) {
        this.writer = writer;
        this.readers = readers;
        this.clock = clock;
        this.pruner = new InboxPruner(clock, retention, historyRetention);
        this.acks = new AckBatches(writer, (db, userId) -> lastSeq(db, userId)[0]);
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
            pendingEntries.flush(db); // this transaction's appends are part of the page
            PreparedStatement select = db.prepare(INBOX_AFTER);
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
        boolean chat = message.kind() == EntryKind.MESSAGE;
        boolean inHistory = message.kind().inHistory();
        PreparedStatement insert = db.prepare(INSERT_MESSAGE);
        insert.setLong(1, messageId);
        insert.setInt(2, message.kind().code());
        insert.setString(3, message.senderId());
        insert.setString(4, message.senderName());
        setNullableString(insert, 5, message.clientMsgId());
        setNullableString(insert, 6, message.groupId());
        setNullableString(insert, 7, message.toUserId());
        insert.setString(8, message.text());
        insert.setLong(9, message.timestamp());
        insert.setLong(10, clock.getAsLong());
        insert.setLong(11, message.refMessageId());
        if (inHistory) {
            insert.setLong(12, conversations.numberOf(db, message.conversation().key(message.senderId())));
        } else {
            insert.setNull(12, Types.INTEGER);
        }
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
        int rows = 1;
        for (String recipient : recipients) {
            if (seqs.containsKey(recipient)) {
                continue;
            }
            long seq = ++lastSeq(db, recipient)[0];
            if (pendingEntries.add(recipient, seq, messageId)) {
                rows++;
            }
            seqs.put(recipient, seq);
        }
        db.wrote(rows);
        if (chat && message.toUserId() != null) {
            rememberPeers(db, message.senderId(), message.toUserId());
        }
        StoredMessage stored = new StoredMessage(messageId, message.kind(), message.senderId(), message.senderName(),
                message.groupId(), message.toUserId(), message.text(), message.timestamp(), message.refMessageId());
        return new Appended(stored, Collections.unmodifiableMap(seqs), false);
    }

    /** Records that the two have a direct conversation, unless already known. */
    private void rememberPeers(SqliteConnection db, String senderId, String toUserId) throws SQLException {
        String key = Conversation.direct(toUserId).key(senderId);
        if (knownPeers.contains(key)) {
            return;
        }
        if (knownPeers.size() >= SEQ_CACHE_SIZE) {
            knownPeers.clear(); // safe: a forgotten pair is inserted again, which the primary key ignores
        }
        PreparedStatement insert = db.prepare(INSERT_PEERS);
        insert.setString(1, senderId);
        insert.setString(2, toUserId);
        db.wrote(insert.executeUpdate());
        knownPeers.add(key);
    }

    @Override
    public CompletionStage<List<StoredMessage>> history(String userId, Conversation conversation,
            long afterMessageId, long beforeMessageId, int limit) {
        requireNonNull(userId, "userId");
        requireNonNull(conversation, "conversation");
        InboxArgs.checkHistory(afterMessageId, beforeMessageId, limit);
        String key = conversation.key(userId);
        return readers.submit(db -> {
            PreparedStatement select = db.prepare(HISTORY);
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
        return readers.submit(db -> {
            List<Conversation> targets = new ArrayList<>();
            List<Long> joinedAfter = new ArrayList<>();
            for (String peerId : peers(db, userId, Integer.MAX_VALUE)) {
                targets.add(Conversation.direct(peerId));
                joinedAfter.add(0L);
            }
            for (MemberSince membership : memberships) {
                targets.add(Conversation.group(membership.groupId()));
                joinedAfter.add(membership.afterMessageId());
            }
            if (targets.isEmpty()) {
                return List.<ConversationSummary>of();
            }
            PreparedStatement select = db.prepare(CONVERSATION_PAGE);
            select.setString(1, targetsJson(userId, targets, joinedAfter));
            select.setString(2, userId);
            select.setLong(3, beforeActiveAt);
            select.setInt(4, limit);
            select.setInt(5, ConversationSummary.UNREAD_CAP);
            List<ConversationSummary> page = new ArrayList<>(Math.min(limit, targets.size()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    int index = rows.getInt(1);
                    StoredMessage last = rows.getObject(4) == null ? null : message(rows, 4);
                    page.add(ConversationSummary.of(targets.get(index), last, rows.getLong(2), rows.getInt(3),
                            joinedAfter.get(index)));
                }
            }
            // Already in this order and cut to the page; applying the contract's own rule keeps it so by definition.
            return ConversationSummary.page(page, beforeActiveAt, limit);
        });
    }

    /** The {@code [key, joinedAfter, rank]} array of {@link #CONVERSATION_PAGE}. */
    private static String targetsJson(String userId, List<Conversation> targets, List<Long> joinedAfter) {
        Integer[] byName = new Integer[targets.size()];
        for (int i = 0; i < byName.length; i++) {
            byName[i] = i;
        }
        Arrays.sort(byName, Comparator.comparing(i -> String.valueOf(targets.get(i))));
        int[] rank = new int[byName.length];
        for (int r = 0; r < byName.length; r++) {
            rank[byName[r]] = r;
        }
        StringBuilder json = new StringBuilder(targets.size() * 40).append('[');
        for (int i = 0; i < targets.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append('[');
            appendJsonString(json, targets.get(i).key(userId));
            json.append(',').append(joinedAfter.get(i)).append(',').append(rank[i]).append(']');
        }
        return json.append(']').toString();
    }

    private static void appendJsonString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }

    /** The conversation's newest message after {@code after}, or null. */
    private static StoredMessage newest(SqliteConnection db, long conversation, long after) throws SQLException {
        PreparedStatement select = db.prepare(LAST_IN_CONVERSATION);
        select.setLong(1, conversation);
        select.setLong(2, after);
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? message(row, 1) : null;
        }
    }

    private static List<String> peers(SqliteConnection db, String userId, int limit) throws SQLException {
        PreparedStatement select = db.prepare(PEERS);
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

    private static long readPosition(SqliteConnection db, String key, String userId) throws SQLException {
        PreparedStatement select = db.prepare(READ_POSITION);
        select.setString(1, key);
        select.setString(2, userId);
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    @Override
    public CompletionStage<ReadMark> markRead(String userId, String userName, Conversation conversation,
            long upToMessageId, long timestamp) {
        requireNonNull(userId, "userId");
        requireNonNull(userName, "userName");
        requireNonNull(conversation, "conversation");
        InboxArgs.checkAck(upToMessageId);
        return writer.submit(db -> {
            String key = conversation.key(userId);
            long current = readPosition(db, key, userId);
            StoredMessage newest = newest(db, conversations.find(db, key), 0);
            long target = Math.min(upToMessageId, newest == null ? 0 : newest.messageId());
            if (target <= current) {
                return new ReadMark(current, Optional.empty());
            }
            PreparedStatement upsert = db.prepare(UPSERT_READ);
            upsert.setString(1, key);
            upsert.setString(2, userId);
            upsert.setLong(3, target);
            upsert.executeUpdate();
            db.wrote(1);
            Appended event = append(db, NewMessage.read(userId, userName, conversation, target, timestamp));
            return new ReadMark(target, Optional.of(event));
        });
    }

    @Override
    public CompletionStage<Long> readPosition(String userId, Conversation conversation) {
        requireNonNull(userId, "userId");
        requireNonNull(conversation, "conversation");
        String key = conversation.key(userId);
        return readers.submit(db -> readPosition(db, key, userId));
    }

    @Override
    public CompletionStage<Integer> readCount(String groupId, long messageId, String exceptUserId) {
        requireNonNull(groupId, "groupId");
        requireNonNull(exceptUserId, "exceptUserId");
        return readers.submit(db -> {
            PreparedStatement count = db.prepare(READ_COUNT);
            count.setString(1, Conversation.group(groupId).key(exceptUserId));
            count.setLong(2, messageId);
            count.setString(3, exceptUserId);
            try (ResultSet row = count.executeQuery()) {
                return row.next() ? row.getInt(1) : 0;
            }
        });
    }

    @Override
    public CompletionStage<Changed> change(MessageChange change) {
        requireNonNull(change, "change");
        return writer.submit(db -> {
            PreparedStatement select = db.prepare(MESSAGE_IN_CONVERSATION);
            select.setLong(1, change.messageId());
            select.setLong(2, conversations.find(db, change.conversation().key(change.userId())));
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
                update = db.prepare(EDIT);
                update.setString(1, change.newText());
                update.setLong(2, change.now());
                update.setLong(3, change.messageId());
            } else {
                update = db.prepare(RECALL);
                update.setLong(1, change.now());
                update.setLong(2, change.messageId());
                PreparedStatement edits = db.prepare(RECALL_EDITS);
                edits.setLong(1, change.now());
                edits.setLong(2, change.messageId());
                db.wrote(edits.executeUpdate());
            }
            update.executeUpdate();
            db.wrote(1);
            return new Changed(outcome, change.applyTo(message), append(db, change.event()));
        });
    }

    @Override
    public CompletionStage<List<String>> directPeers(String userId, int limit) {
        requireNonNull(userId, "userId");
        return readers.submit(db -> peers(db, userId, limit));
    }

    /** The stored message whose {@link #COLUMNS} start at column {@code first}. */
    private static StoredMessage message(ResultSet row, int first) throws SQLException {
        return new StoredMessage(row.getLong(first), EntryKind.ofCode(row.getInt(first + 1)),
                row.getString(first + 2), row.getString(first + 3), row.getString(first + 4),
                row.getString(first + 5), row.getString(first + 6), row.getLong(first + 7), row.getLong(first + 8),
                row.getLong(first + 9), row.getLong(first + 10));
    }

    /** The earlier append with this (senderId, clientMsgId), or null. */
    private static Appended original(SqliteConnection db, String senderId, String clientMsgId) throws SQLException {
        PreparedStatement select = db.prepare(ORIGINAL);
        select.setString(1, senderId);
        select.setString(2, clientMsgId);
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? Appended.duplicateOf(message(row, 1)) : null;
        }
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
            if (pendingEntries.holds(userId)) {
                pendingEntries.flush(db); // only after that clear: the reload must see this transaction's entries
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

    /** The last message id issued; writer thread, for the group store's join points. */
    long lastMessageId(SqliteConnection db) throws SQLException {
        loadLastMessageId(db);
        return lastMessageId;
    }

    /** Forgets the in-memory counters after a rollback, which may have undone ids and seqs they already count. */
    void resetCache() {
        lastMessageId = -1;
        lastSeqs.clear();
        knownPeers.clear();
        conversations.reset();
        pruner.reset();
        pendingEntries.clear();
    }

    /** Inserts the inbox entries this transaction appended; the writer calls it before every commit. */
    void flushEntries(SqliteConnection db) throws SQLException {
        pendingEntries.flush(db);
    }

    boolean pruneInProgress() {
        return pruner.inProgress();
    }

    /** One step of pruning, on the writer thread ({@link InboxPruner}); returns whether the run has more steps. */
    boolean pruneStep(SqliteConnection db) throws SQLException {
        pendingEntries.flush(db); // what the pruner reads must include this transaction's entries
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
