package dev.switchboard.im.store;

/**
 * A stored message as recipients read it.
 *
 * @param messageId unique, increasing in storage order, never reused
 * @param senderId sender's user id
 * @param senderName sender's user name
 * @param groupId the group, or {@code null} for a direct message
 * @param text the message text
 * @param timestamp the {@link NewMessage#timestamp()} it was appended with
 */
public record StoredMessage(long messageId, String senderId, String senderName, String groupId, String text,
                            long timestamp) {
}
