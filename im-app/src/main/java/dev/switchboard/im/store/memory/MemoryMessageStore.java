package dev.switchboard.im.store.memory;

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
import static java.util.concurrent.CompletableFuture.completedFuture;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@link MessageStore} of {@link MemoryStorage}; all state guarded by {@code this}. Built for benchmark rates: an
 * append allocates one {@link StoredMessage} shared by all inboxes plus the seq map, and nothing per recipient but
 * that map's entry; acknowledged entries are dropped at once. History keeps the newest {@value
 * ConversationLog#CAPACITY} messages of each conversation; a direct conversation's log is one object reachable from
 * both participants, so a send costs one map lookup for it.
 */
final class MemoryMessageStore implements MessageStore {

    /** Deduplication window: each sender's most recent clientMsgIds, at least this many (at most twice) ... */
    static final int DEDUP_PER_SENDER = 256;
    /** ... for at most this many senders (the least recently sending are forgotten first) ... */
    static final int DEDUP_MAX_SENDERS = 4_096;
    /** ... holding at most this many seqs in total, since a group append's seq map can be large. */
    static final int DEDUP_MAX_SEQS = 1_000_000;

    private long lastMessageId;
    private final Map<String, Inbox> inboxes = new HashMap<>();
    // Small per-sender windows instead of one big map: lookups stay in cache, which a 100k-entry map did not
    // (it cost a sixth of the server's CPU in the direct benchmark), and one chatty sender cannot push another
    // sender's recent ids out.
    private final LinkedHashMap<String, SenderWindow> windows = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SenderWindow> eldest) {
            if (size() <= DEDUP_MAX_SENDERS) {
                return false;
            }
            recentSeqs -= eldest.getValue().seqs();
            return true;
        }
    };
    private long recentSeqs;

    /** Direct conversations: user, then peer, to the log both share. */
    private final Map<String, Map<String, ConversationLog>> directLogs = new HashMap<>();
    private final Map<String, ConversationLog> groupLogs = new HashMap<>();
    /**
     * Messages edited or recalled, by id, so that inbox reads show them as history does; the oldest changes are
     * forgotten past {@value #MAX_CHANGED} (their inbox entries, if still unacknowledged, then read as sent).
     */
    private final LinkedHashMap<Long, StoredMessage> changed = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, StoredMessage> eldest) {
            return size() > MAX_CHANGED;
        }
    };
    static final int MAX_CHANGED = 100_000;
    /** The EDIT events of each message edited, so that its recall can blank them too; bounded like {@code changed}. */
    private final LinkedHashMap<Long, List<StoredMessage>> editsOf = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, List<StoredMessage>> eldest) {
            return size() > MAX_CHANGED;
        }
    };
    /** Read positions: conversation key, then user, to the last message id read. */
    private final Map<String, Map<String, Long>> readPositions = new HashMap<>();

    @Override
    public synchronized CompletionStage<Appended> append(NewMessage message) {
        requireNonNull(message, "message");
        String clientMsgId = message.clientMsgId();
        SenderWindow window = clientMsgId == null ? null : windows.get(message.senderId());
        if (window != null) {
            Appended original = window.get(clientMsgId);
            if (original != null) {
                return completedFuture(Appended.duplicateOf(original.message()));
            }
        }
        StoredMessage stored = stored(message);
        if (message.kind().inHistory()) {
            logOf(message.senderId(), message.conversation(), true).add(stored);
        }
        Appended appended = fanOut(stored, message.recipientIds());
        if (clientMsgId != null) {
            if (window == null) {
                window = new SenderWindow();
                windows.put(message.senderId(), window);
            }
            remember(window, clientMsgId, appended);
        }
        return completedFuture(appended);
    }

    /** The message or event as stored, with the next message id. */
    private StoredMessage stored(NewMessage message) {
        return new StoredMessage(++lastMessageId, message.kind(), message.senderId(), message.senderName(),
                message.groupId(), message.toUserId(), message.text(), message.timestamp(), message.refMessageId());
    }

    /** Appends to each recipient's inbox. */
    private Appended fanOut(StoredMessage stored, List<String> recipients) {
        Map<String, Long> seqs;
        if (recipients.size() == 1) {
            String recipient = recipients.get(0);
            seqs = Map.of(recipient, inboxes.computeIfAbsent(recipient, r -> new Inbox()).add(stored));
        } else {
            Map<String, Long> many = new HashMap<>((int) (recipients.size() / 0.75f) + 1);
            for (String recipient : recipients) {
                if (!many.containsKey(recipient)) {
                    many.put(recipient, inboxes.computeIfAbsent(recipient, r -> new Inbox()).add(stored));
                }
            }
            seqs = Collections.unmodifiableMap(many);
        }
        return new Appended(stored, seqs, false);
    }

    /** The conversation's log as {@code userId} names it; null if it has none and {@code create} is false. */
    private ConversationLog logOf(String userId, Conversation conversation, boolean create) {
        if (conversation.isGroup()) {
            return create ? groupLogs.computeIfAbsent(conversation.groupId(), g -> new ConversationLog())
                    : groupLogs.get(conversation.groupId());
        }
        Map<String, ConversationLog> mine = directLogs.get(userId);
        ConversationLog log = mine == null ? null : mine.get(conversation.peerId());
        if (log == null && create) {
            log = new ConversationLog();
            directLogs.computeIfAbsent(userId, u -> new HashMap<>()).put(conversation.peerId(), log);
            directLogs.computeIfAbsent(conversation.peerId(), u -> new HashMap<>()).put(userId, log);
        }
        return log;
    }

    @Override
    public synchronized CompletionStage<List<StoredMessage>> history(String userId, Conversation conversation,
            long afterMessageId, long beforeMessageId, int limit) {
        requireNonNull(userId, "userId");
        requireNonNull(conversation, "conversation");
        InboxArgs.checkHistory(afterMessageId, beforeMessageId, limit);
        ConversationLog log = logOf(userId, conversation, false);
        return completedFuture(log == null ? List.of() : log.before(afterMessageId, beforeMessageId, limit));
    }

    @Override
    public synchronized CompletionStage<List<ConversationSummary>> conversations(String userId,
            List<MemberSince> groups, long beforeActiveAt, int limit) {
        requireNonNull(userId, "userId");
        requireNonNull(groups, "groups");
        InboxArgs.checkHistory(0, beforeActiveAt, limit);
        List<ConversationSummary> all = new ArrayList<>();
        Map<String, ConversationLog> direct = directLogs.getOrDefault(userId, Map.of());
        for (Map.Entry<String, ConversationLog> peer : direct.entrySet()) {
            all.add(summary(userId, Conversation.direct(peer.getKey()), peer.getValue(), 0));
        }
        for (MemberSince membership : groups) {
            Conversation conversation = Conversation.group(membership.groupId());
            all.add(summary(userId, conversation, groupLogs.get(membership.groupId()), membership.afterMessageId()));
        }
        return completedFuture(ConversationSummary.page(all, beforeActiveAt, limit));
    }

    private ConversationSummary summary(String userId, Conversation conversation, ConversationLog log,
            long joinedAfter) {
        long read = positionOf(userId, conversation);
        StoredMessage last = log == null ? null : log.lastMessage();
        if (last != null && last.messageId() <= joinedAfter) {
            last = null; // only messages from before the user joined
        }
        int unread = last == null ? 0 : log.unread(Math.max(read, joinedAfter), userId);
        return ConversationSummary.of(conversation, last, read, unread, joinedAfter);
    }

    private long positionOf(String userId, Conversation conversation) {
        Map<String, Long> readers = readPositions.get(conversation.key(userId));
        Long position = readers == null ? null : readers.get(userId);
        return position == null ? 0 : position;
    }

    @Override
    public synchronized CompletionStage<ReadMark> markRead(String userId, String userName, Conversation conversation,
            long upToMessageId, long timestamp) {
        requireNonNull(userId, "userId");
        requireNonNull(userName, "userName");
        requireNonNull(conversation, "conversation");
        InboxArgs.checkAck(upToMessageId);
        ConversationLog log = logOf(userId, conversation, false);
        StoredMessage last = log == null ? null : log.lastMessage();
        long current = positionOf(userId, conversation);
        long target = Math.min(upToMessageId, last == null ? 0 : last.messageId());
        if (target <= current) {
            return completedFuture(new ReadMark(current, Optional.empty()));
        }
        readPositions.computeIfAbsent(conversation.key(userId), k -> new HashMap<>()).put(userId, target);
        NewMessage event = NewMessage.read(userId, userName, conversation, target, timestamp);
        return completedFuture(new ReadMark(target, Optional.of(fanOut(stored(event), event.recipientIds()))));
    }

    @Override
    public synchronized CompletionStage<Long> readPosition(String userId, Conversation conversation) {
        requireNonNull(userId, "userId");
        requireNonNull(conversation, "conversation");
        return completedFuture(positionOf(userId, conversation));
    }

    @Override
    public synchronized CompletionStage<Integer> readCount(String groupId, long messageId, String exceptUserId) {
        requireNonNull(groupId, "groupId");
        requireNonNull(exceptUserId, "exceptUserId");
        Map<String, Long> readers = readPositions.getOrDefault(Conversation.group(groupId).key(exceptUserId), Map.of());
        int count = 0;
        for (Map.Entry<String, Long> reader : readers.entrySet()) {
            if (reader.getValue() >= messageId && !reader.getKey().equals(exceptUserId)) {
                count++;
            }
        }
        return completedFuture(count);
    }

    @Override
    public synchronized CompletionStage<Changed> change(MessageChange change) {
        requireNonNull(change, "change");
        ConversationLog log = logOf(change.userId(), change.conversation(), false);
        StoredMessage message = log == null ? null : log.find(change.messageId());
        Changed.Outcome outcome = Changed.check(message, change);
        if (outcome != Changed.Outcome.CHANGED) {
            return completedFuture(new Changed(outcome, message, null));
        }
        StoredMessage after = change.applyTo(message);
        log.replace(after);
        changed.put(after.messageId(), after);
        NewMessage event = change.event();
        StoredMessage stored = stored(event);
        if (change.kind() == EntryKind.EDIT) {
            editsOf.computeIfAbsent(after.messageId(), id -> new ArrayList<>()).add(stored);
        } else {
            for (StoredMessage edit : editsOf.getOrDefault(after.messageId(), List.of())) {
                changed.put(edit.messageId(), edit.recalledAt(change.now())); // its text goes with the message's
            }
            editsOf.remove(after.messageId());
        }
        return completedFuture(new Changed(outcome, after, fanOut(stored, event.recipientIds())));
    }

    @Override
    public synchronized CompletionStage<List<String>> directPeers(String userId, int limit) {
        requireNonNull(userId, "userId");
        return completedFuture(directLogs.getOrDefault(userId, Map.of()).keySet().stream().limit(limit).toList());
    }

    /** The last message id issued; for the group store's join points. */
    synchronized long lastMessageId() {
        return lastMessageId;
    }

    private void remember(SenderWindow window, String clientMsgId, Appended appended) {
        recentSeqs += appended.seqByRecipient().size() - window.add(clientMsgId, appended);
        if (recentSeqs > DEDUP_MAX_SEQS) {
            recentSeqs -= window.dropPrevious();
        }
    }

    /**
     * One sender's recent clientMsgIds in two generations: when the current one is full it becomes the previous
     * one, and the previous one is dropped whole. Forgetting an id thus never touches it again (evicting entries
     * one by one missed the cache on every append), at the price of a window between one and two generations.
     */
    private static final class SenderWindow {
        /** Room for a full generation without a resize (growing from 16 took five per generation). */
        private static final int GENERATION_CAPACITY = (int) (DEDUP_PER_SENDER / 0.75f) + 1;

        private HashMap<String, Appended> current = new HashMap<>();
        private HashMap<String, Appended> previous = new HashMap<>();
        private long currentSeqs;
        private long previousSeqs;

        Appended get(String clientMsgId) {
            Appended found = current.get(clientMsgId);
            return found != null ? found : previous.get(clientMsgId);
        }

        /** Remembers an id; returns how many seqs were forgotten to make room. */
        long add(String clientMsgId, Appended appended) {
            long freed = 0;
            if (current.size() >= DEDUP_PER_SENDER) {
                freed = previousSeqs;
                previous = current;
                previousSeqs = currentSeqs;
                current = new HashMap<>(GENERATION_CAPACITY); // a sender that fills one will fill the next
                currentSeqs = 0;
            }
            current.put(clientMsgId, appended);
            currentSeqs += appended.seqByRecipient().size();
            return freed;
        }

        /** Seqs held by both generations. */
        long seqs() {
            return currentSeqs + previousSeqs;
        }

        /** Forgets the older generation; returns how many seqs that freed. */
        long dropPrevious() {
            long freed = previousSeqs;
            previous = new HashMap<>();
            previousSeqs = 0;
            return freed;
        }
    }

    @Override
    public synchronized CompletionStage<List<InboxEntry>> inboxAfter(String userId, long afterSeq, int limit) {
        requireNonNull(userId, "userId");
        InboxArgs.checkPage(afterSeq, limit);
        Inbox inbox = inboxes.get(userId);
        if (inbox == null) {
            return completedFuture(List.of());
        }
        List<InboxEntry> page = inbox.after(userId, afterSeq, limit);
        if (!changed.isEmpty() && !page.isEmpty()) { // a non-empty page is a fresh ArrayList
            page.replaceAll(entry -> {
                StoredMessage now = changed.get(entry.message().messageId());
                return now == null ? entry : new InboxEntry(entry.userId(), entry.seq(), now);
            });
        }
        return completedFuture(page);
    }

    @Override
    public synchronized CompletionStage<Void> acknowledge(String userId, long upToSeq) {
        requireNonNull(userId, "userId");
        InboxArgs.checkAck(upToSeq);
        Inbox inbox = inboxes.get(userId);
        if (inbox != null) {
            inbox.acknowledge(upToSeq);
        }
        return completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Long> lastSeq(String userId) {
        requireNonNull(userId, "userId");
        Inbox inbox = inboxes.get(userId);
        return completedFuture(inbox == null ? 0L : inbox.firstSeq + inbox.size - 1);
    }

    @Override
    public synchronized CompletionStage<Long> acknowledgedSeq(String userId) {
        requireNonNull(userId, "userId");
        Inbox inbox = inboxes.get(userId);
        return completedFuture(inbox == null ? 0L : inbox.acked);
    }

    /**
     * One user's unacknowledged messages in a ring buffer indexed by seq: the entry with seq {@code firstSeq + i} is
     * at {@code ring[(head + i) & mask]}. Seqs are contiguous, so lookups need no search.
     */
    static final class Inbox {
        private static final int MIN_CAPACITY = 8;

        private StoredMessage[] ring = new StoredMessage[MIN_CAPACITY];
        private int head;
        private int size;
        /** Seq of the entry at {@code head}; when empty, the seq the next message gets. */
        private long firstSeq = 1;
        long acked;

        long add(StoredMessage message) {
            if (size == ring.length) {
                resize(ring.length * 2);
            }
            ring[(head + size) & (ring.length - 1)] = message;
            size++;
            return firstSeq + size - 1;
        }

        List<InboxEntry> after(String userId, long afterSeq, int limit) {
            long end = firstSeq + size; // exclusive
            if (afterSeq >= end - 1) {
                return List.of();
            }
            long from = Math.max(afterSeq + 1, firstSeq);
            int count = (int) Math.min(limit, end - from);
            List<InboxEntry> page = new ArrayList<>(count);
            int index = (int) (from - firstSeq);
            for (int i = 0; i < count; i++) {
                page.add(new InboxEntry(userId, from + i, ring[(head + index + i) & (ring.length - 1)]));
            }
            return page;
        }

        void acknowledge(long upToSeq) {
            long lastSeq = firstSeq + size - 1;
            long target = Math.min(upToSeq, lastSeq); // cap: never acknowledge seqs not yet assigned
            if (target <= acked) {
                return;
            }
            acked = target;
            int drop = (int) (target - firstSeq + 1);
            for (int i = 0; i < drop; i++) {
                ring[(head + i) & (ring.length - 1)] = null;
            }
            head = (head + drop) & (ring.length - 1);
            size -= drop;
            firstSeq += drop;
            if (ring.length > MIN_CAPACITY && size < ring.length / 4) {
                resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(size, 1)) * 2));
            }
        }

        private void resize(int capacity) {
            StoredMessage[] next = new StoredMessage[capacity];
            for (int i = 0; i < size; i++) {
                next[i] = ring[(head + i) & (ring.length - 1)];
            }
            ring = next;
            head = 0;
        }
    }
}
