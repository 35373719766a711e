package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 39 (v2): a message was edited. An inbox event (it has a {@code seq}; acknowledge it), to every participant's
 * devices, the author's included.
 *
 * @param messageId the edited message
 * @param peerId the direct conversation, named as the receiving user names it, or absent
 * @param groupId the group, or absent
 * @param fromUserId the author
 * @param fromUserName the author's name
 * @param message the new text
 * @param editedAt when the server accepted the edit, epoch milliseconds
 * @param seq the receiving account's sequence number
 */
@Command(code = 39)
public record MessageEdited(long messageId, String peerId, String groupId, String fromUserId, String fromUserName,
                            String message, long editedAt, Long seq) {}
