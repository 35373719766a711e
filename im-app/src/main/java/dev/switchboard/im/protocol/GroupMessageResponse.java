package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 16: a group message delivered to a member (the sender's own connections included).
 *
 * @param fromGroupId the group
 * @param fromUser the sender
 * @param message the text
 * @param messageId v2: the server's id of the message
 * @param seq v2: the recipient's sequence number
 * @param timestamp v2: when the server accepted it, epoch milliseconds
 */
@Command(code = 16)
public record GroupMessageResponse(String fromGroupId, Member fromUser, String message, Long messageId, Long seq,
        Long timestamp) {}
