package dev.switchboard.im.store;

import java.util.List;
import java.util.Objects;

/**
 * A message to store and fan out to recipients' inboxes.
 *
 * @param senderId sender's user id
 * @param senderName sender's user name, stored with the message so readers need no user lookup
 * @param clientMsgId the sender's id for this message, for idempotent retries; {@code null} disables deduplication
 * @param groupId the group the message was sent to; {@code null} for a direct message
 * @param text the message text
 * @param timestamp when the server accepted the message (epoch millis)
 * @param recipientIds users whose inboxes get the message; duplicates are ignored (each gets it once). Copied, which
 *     costs nothing when the list is already immutable such as {@link Group#memberIds()}.
 */
public record NewMessage(String senderId, String senderName, String clientMsgId, String groupId, String text,
                         long timestamp, List<String> recipientIds) {

    public NewMessage {
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(senderName, "senderName");
        Objects.requireNonNull(text, "text");
        recipientIds = List.copyOf(recipientIds);
    }
}
