package dev.switchboard.im.store;

import java.util.List;
import java.util.Objects;

/**
 * A message or event to store and fan out to recipients' inboxes. Use the factories; the canonical constructor is
 * for stores and tests.
 *
 * @param kind what it is
 * @param senderId sender's user id
 * @param senderName sender's user name, stored with the message so readers need no user lookup
 * @param clientMsgId the sender's id for this message, for idempotent retries; {@code null} disables deduplication
 * @param groupId the group; {@code null} in a direct conversation
 * @param toUserId the other participant of a direct conversation; {@code null} in a group
 * @param text the message text (empty for events without one)
 * @param timestamp when the server accepted it (epoch millis)
 * @param refMessageId the message an event is about; 0 for a message
 * @param recipientIds users whose inboxes get it; duplicates are ignored (each gets it once). Copied, which costs
 *     nothing when the list is already immutable such as {@link Group#memberIds()}.
 */
public record NewMessage(EntryKind kind, String senderId, String senderName, String clientMsgId, String groupId,
                         String toUserId, String text, long timestamp, long refMessageId, List<String> recipientIds) {

    public NewMessage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(senderName, "senderName");
        Objects.requireNonNull(text, "text");
        if ((groupId == null) == (toUserId == null)) {
            throw new IllegalArgumentException("exactly one of groupId and toUserId must be set");
        }
        recipientIds = List.copyOf(recipientIds);
    }

    /** A direct message from the sender to {@code toUserId}, into the recipient's inbox. */
    public static NewMessage direct(String senderId, String senderName, String clientMsgId, String toUserId,
            String text, long timestamp) {
        return new NewMessage(EntryKind.MESSAGE, senderId, senderName, clientMsgId, null, toUserId, text, timestamp, 0,
                List.of(toUserId));
    }

    /** A group message, into the inbox of each of {@code recipientIds} (the members, the sender included). */
    public static NewMessage toGroup(String senderId, String senderName, String clientMsgId, String groupId,
            String text, long timestamp, List<String> recipientIds) {
        return new NewMessage(EntryKind.MESSAGE, senderId, senderName, clientMsgId, groupId, null, text, timestamp, 0,
                recipientIds);
    }

    /**
     * A READ event: {@code userId} read the conversation up to {@code upToMessageId}. Into the reader's inbox and, in
     * a direct conversation, the peer's.
     */
    public static NewMessage read(String userId, String userName, Conversation conversation, long upToMessageId,
            long timestamp) {
        List<String> recipients = conversation.isGroup() ? List.of(userId) : List.of(userId, conversation.peerId());
        return new NewMessage(EntryKind.READ, userId, userName, null, conversation.groupId(), conversation.peerId(),
                "", timestamp, upToMessageId, recipients);
    }

    /**
     * A group event done by {@code actorId}, into the inboxes of {@code recipientIds} (the members after the change,
     * plus anyone it removed).
     */
    public static NewMessage groupEvent(String actorId, String actorName, String groupId, GroupEvent event,
            long timestamp, List<String> recipientIds) {
        return new NewMessage(EntryKind.GROUP_EVENT, actorId, actorName, null, groupId, null, event.encode(),
                timestamp, 0, recipientIds);
    }

    /** The conversation, as the sender names it. */
    public Conversation conversation() {
        return groupId != null ? Conversation.group(groupId) : Conversation.direct(toUserId);
    }
}
