package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 64 (v2): a message was recalled: stop showing its text. An inbox event like {@link MessageEdited}; also what a
 * backlog delivers in place of a message recalled before this device received it.
 *
 * @param messageId the recalled message
 * @param peerId the direct conversation, named as the receiving user names it, or absent
 * @param groupId the group, or absent
 * @param fromUserId the author
 * @param fromUserName the author's name
 * @param recalledAt when the server accepted the recall, epoch milliseconds
 * @param seq the receiving account's sequence number
 */
@Command(code = 64)
public record MessageRecalled(long messageId, String peerId, String groupId, String fromUserId, String fromUserName,
                              long recalledAt, Long seq) {}
