package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 4: a message delivered to its recipient.
 *
 * @param fromUserId the sender's id
 * @param fromUserName the sender's name
 * @param message the text
 * @param messageId v2: the server's id of the message
 * @param seq v2: the recipient's sequence number (per account, increasing by one)
 * @param timestamp v2: when the server accepted it, epoch milliseconds
 */
@Command(code = 4)
public record MessageResponse(String fromUserId, String fromUserName, String message, Long messageId, Long seq,
        Long timestamp) {}
