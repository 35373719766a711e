package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 19 (v2): the message is durably stored; sent to the sender.
 *
 * @param clientMsgId the sender's id of the message
 * @param messageId the server's id
 * @param timestamp when the server accepted it, epoch milliseconds
 */
@Command(code = 19)
public record SendAck(String clientMsgId, long messageId, long timestamp) {}
