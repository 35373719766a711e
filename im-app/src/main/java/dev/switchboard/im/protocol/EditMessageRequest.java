package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 37 (v2): edit one of your own messages within the edit window. Name its conversation as in
 * {@link HistoryRequest}.
 *
 * @param peerId the other user of a direct conversation
 * @param peerName the other user, by name
 * @param groupId the group
 * @param messageId the message to edit
 * @param message the new text (the same rules as a message's)
 */
@Command(code = 37)
public record EditMessageRequest(String peerId, String peerName, String groupId, long messageId, String message) {}
