package dev.switchboard.im.store.memory;

import dev.switchboard.im.store.ConversationSummary;
import dev.switchboard.im.store.EntryKind;
import dev.switchboard.im.store.StoredMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest messages and group events of one conversation, ascending by id, in a ring of at most {@link #CAPACITY}: older ones are
 * forgotten, which bounds the memory store's history the way retention bounds SQLite's. Guarded by the message
 * store's lock.
 */
final class ConversationLog {

    /** Messages kept per conversation. */
    static final int CAPACITY = 1_000;

    private StoredMessage[] ring = new StoredMessage[8];
    private int head;
    private int size;

    void add(StoredMessage message) {
        if (size == ring.length) {
            if (ring.length == CAPACITY) {
                ring[head] = null;
                head = (head + 1) % ring.length;
                size--;
            } else {
                grow();
            }
        }
        ring[(head + size) % ring.length] = message;
        size++;
    }

    /** The newest chat message (not an event), or null. */
    StoredMessage lastMessage() {
        for (int i = size - 1; i >= 0; i--) {
            if (at(i).kind() == EntryKind.MESSAGE) {
                return at(i);
            }
        }
        return null;
    }

    /** The message with this id, or null (never stored here, or already forgotten). */
    StoredMessage find(long messageId) {
        int index = firstAtOrAbove(messageId);
        return index < size && at(index).messageId() == messageId ? at(index) : null;
    }

    /** Replaces the message with the same id (which must be here) by its changed version. */
    void replace(StoredMessage changed) {
        int index = firstAtOrAbove(changed.messageId());
        ring[(head + index) % ring.length] = changed;
    }

    /** Messages with ids in (after, before), newest first, at most limit. */
    List<StoredMessage> before(long after, long before, int limit) {
        List<StoredMessage> page = new ArrayList<>(Math.min(limit, size));
        for (int i = firstAtOrAbove(before) - 1; i >= 0 && page.size() < limit; i--) {
            StoredMessage message = at(i);
            if (message.messageId() <= after) {
                break;
            }
            page.add(message);
        }
        return page;
    }

    /** Chat messages (not events) with ids above {@code after} that {@code viewerId} did not send, up to the cap. */
    int unread(long after, String viewerId) {
        int count = 0;
        for (int i = size - 1; i >= 0 && count < ConversationSummary.UNREAD_CAP; i--) {
            StoredMessage message = at(i);
            if (message.messageId() <= after) {
                break;
            }
            if (message.kind() == EntryKind.MESSAGE && !message.senderId().equals(viewerId)) {
                count++;
            }
        }
        return count;
    }

    /** Index of the first message with id at or above {@code id} ({@code size} if none): a binary search. */
    private int firstAtOrAbove(long id) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (at(mid).messageId() < id) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private StoredMessage at(int index) {
        return ring[(head + index) % ring.length];
    }

    private void grow() {
        StoredMessage[] next = new StoredMessage[Math.min(CAPACITY, ring.length * 2)];
        for (int i = 0; i < size; i++) {
            next[i] = at(i);
        }
        ring = next;
        head = 0;
    }
}
