package dev.switchboard.im.store;

import java.util.Objects;

/**
 * A stored inbox item (a message or an event) as recipients read it.
 *
 * @param messageId unique, increasing in storage order, never reused; messages and events share the sequence
 * @param kind what this is
 * @param senderId the sender's user id (for an event, the user whose action it records)
 * @param senderName the sender's user name
 * @param groupId the group, or {@code null} in a direct conversation
 * @param toUserId in a direct conversation the other participant (the recipient of a message); {@code null} in a group
 * @param text the message text; empty for events without text
 * @param timestamp the {@link NewMessage#timestamp()} it was appended with
 * @param refMessageId the message an event is about (a read position: read up to it); 0 for a message
 * @param editedAt for a message, when its author last edited it ({@link #text()} is then the edited text); 0 if never
 * @param recalledAt for a message, when its author recalled it ({@link #text()} is then empty); 0 if not recalled
 */
public record StoredMessage(long messageId, EntryKind kind, String senderId, String senderName, String groupId,
                            String toUserId, String text, long timestamp, long refMessageId, long editedAt,
                            long recalledAt) {

    public StoredMessage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(text, "text");
    }

    /** An entry as appended: never edited or recalled yet. */
    public StoredMessage(long messageId, EntryKind kind, String senderId, String senderName, String groupId,
            String toUserId, String text, long timestamp, long refMessageId) {
        this(messageId, kind, senderId, senderName, groupId, toUserId, text, timestamp, refMessageId, 0, 0);
    }

    public boolean recalled() {
        return recalledAt != 0;
    }

    /** This message after an edit at {@code at} to {@code newText}. */
    public StoredMessage edited(String newText, long at) {
        return new StoredMessage(messageId, kind, senderId, senderName, groupId, toUserId, newText, timestamp,
                refMessageId, at, recalledAt);
    }

    /** This message after a recall at {@code at}: its text is dropped. */
    public StoredMessage recalledAt(long at) {
        return new StoredMessage(messageId, kind, senderId, senderName, groupId, toUserId, "", timestamp,
                refMessageId, editedAt, at);
    }

    /** The conversation this belongs to, seen by {@code viewerId} (one of its participants). */
    public Conversation conversationOf(String viewerId) {
        if (groupId != null) {
            return Conversation.group(groupId);
        }
        return Conversation.direct(senderId.equals(viewerId) ? toUserId : senderId);
    }
}
