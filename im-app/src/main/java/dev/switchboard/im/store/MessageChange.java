package dev.switchboard.im.store;

import java.util.List;
import java.util.Objects;

/**
 * An author's edit or recall of one of its messages, for {@link MessageStore#change}.
 *
 * @param kind {@link EntryKind#EDIT} or {@link EntryKind#RECALL}
 * @param userId who asks: must be the message's author
 * @param userName the author's name, stored with the event
 * @param conversation the message's conversation, as the author names it
 * @param messageId the message
 * @param newText the edited text (EDIT); empty for RECALL
 * @param now when the server accepted the request (epoch millis)
 * @param windowMillis how long after sending the author may still do this
 * @param recipients whose inboxes get the event: the participants now (a group's members), the author included
 */
public record MessageChange(EntryKind kind, String userId, String userName, Conversation conversation,
                            long messageId, String newText, long now, long windowMillis, List<String> recipients) {

    public MessageChange {
        if (kind != EntryKind.EDIT && kind != EntryKind.RECALL) {
            throw new IllegalArgumentException("a change is an EDIT or a RECALL, not " + kind);
        }
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(userName, "userName");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(newText, "newText");
        recipients = List.copyOf(recipients);
    }

    /** The event to append once the change is allowed. */
    public NewMessage event() {
        return new NewMessage(kind, userId, userName, null, conversation.groupId(), conversation.peerId(), newText,
                now, messageId, recipients);
    }

    /** The stored message after this change. */
    public StoredMessage applyTo(StoredMessage message) {
        return kind == EntryKind.EDIT ? message.edited(newText, now) : message.recalledAt(now);
    }
}
