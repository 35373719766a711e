package dev.switchboard.im.protocol;

/**
 * A message as history and conversation lists show it.
 *
 * @param messageId the server's id of the message (the same as in its delivery)
 * @param fromUserId the sender's id
 * @param fromUserName the sender's name
 * @param message the text
 * @param timestamp when the server accepted it, epoch milliseconds
 * @param editedAt when its author last edited it ({@code message} is the edited text), absent if never
 * @param recalled {@code true} if its author recalled it ({@code message} is then empty), absent if not
 */
public record HistoryMessage(long messageId, String fromUserId, String fromUserName, String message, long timestamp,
                             Long editedAt, Boolean recalled) {}
