package dev.switchboard.im.store;

import static java.util.Objects.requireNonNull;
import static java.util.concurrent.CompletableFuture.completedFuture;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@link MessageStore} of {@link MemoryStorage}; all state guarded by {@code this}. Built for benchmark rates: an
 * append allocates one {@link StoredMessage} shared by all inboxes plus the seq map, and nothing per recipient but
 * that map's entry; acknowledged entries are dropped at once.
 */
final class MemoryMessageStore implements MessageStore {

    /** Deduplication window: at most this many recent (senderId, clientMsgId) keys ... */
    static final int DEDUP_MAX_KEYS = 100_000;
    /** ... holding at most this many seqs in total, since a group append's seq map can be large. */
    static final int DEDUP_MAX_SEQS = 1_000_000;

    private record DedupKey(String senderId, String clientMsgId) {
    }

    private long lastMessageId;
    private final Map<String, Inbox> inboxes = new HashMap<>();
    private final LinkedHashMap<DedupKey, Appended> recent = new LinkedHashMap<>();
    private long recentSeqs;

    @Override
    public synchronized CompletionStage<Appended> append(NewMessage message) {
        requireNonNull(message, "message");
        DedupKey key = message.clientMsgId() == null ? null : new DedupKey(message.senderId(), message.clientMsgId());
        if (key != null) {
            Appended original = recent.get(key);
            if (original != null) {
                return completedFuture(new Appended(original.message(), original.seqByRecipient(), true));
            }
        }
        StoredMessage stored = new StoredMessage(++lastMessageId, message.senderId(), message.senderName(),
                message.groupId(), message.text(), message.timestamp());
        List<String> recipients = message.recipientIds();
        Map<String, Long> seqs = new HashMap<>((int) (recipients.size() / 0.75f) + 1);
        for (String recipient : recipients) {
            if (!seqs.containsKey(recipient)) {
                seqs.put(recipient, inboxes.computeIfAbsent(recipient, r -> new Inbox()).add(stored));
            }
        }
        Appended appended = new Appended(stored, Collections.unmodifiableMap(seqs), false);
        if (key != null) {
            remember(key, appended);
        }
        return completedFuture(appended);
    }

    private void remember(DedupKey key, Appended appended) {
        recent.put(key, appended);
        recentSeqs += appended.seqByRecipient().size();
        Iterator<Appended> eldest = recent.values().iterator();
        while (recent.size() > DEDUP_MAX_KEYS || (recentSeqs > DEDUP_MAX_SEQS && recent.size() > 1)) {
            recentSeqs -= eldest.next().seqByRecipient().size();
            eldest.remove();
        }
    }

    @Override
    public synchronized CompletionStage<List<InboxEntry>> inboxAfter(String userId, long afterSeq, int limit) {
        requireNonNull(userId, "userId");
        InboxArgs.checkPage(afterSeq, limit);
        Inbox inbox = inboxes.get(userId);
        return completedFuture(inbox == null ? List.of() : inbox.after(userId, afterSeq, limit));
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
