package dev.switchboard.im.protocol;

/**
 * A message or group event as history and conversation lists show it.
 *
 * @param messageId the server's id of the message (the same as in its delivery)
 * @param fromUserId the sender's id (for an event: who did it)
 * @param fromUserName the sender's name
 * @param message the text; empty for an event
 * @param timestamp when the server accepted it, epoch milliseconds
 * @param editedAt when its author last edited it ({@code message} is the edited text), absent if never
 * @param recalled {@code true} if its author recalled it ({@code message} is then empty), absent if not
 * @param event for a group event, what happened (as {@link GroupChanged#event()}); absent for a message
 * @param user for a group event about a user, that user; else absent
 * @param groupName for a {@code created} or {@code renamed} event, the name; else absent
 */
public record HistoryMessage(long messageId, String fromUserId, String fromUserName, String message, long timestamp,
                             Long editedAt, Boolean recalled, String event, Member user, String groupName) {

    /** A chat message. */
    public HistoryMessage(long messageId, String fromUserId, String fromUserName, String message, long timestamp,
            Long editedAt, Boolean recalled) {
        this(messageId, fromUserId, fromUserName, message, timestamp, editedAt, recalled, null, null, null);
    }
}
