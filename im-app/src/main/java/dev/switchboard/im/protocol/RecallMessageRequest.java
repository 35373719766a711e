package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 38 (v2): recall (unsend) one of your own messages within the recall window. Name its conversation as in
 * {@link HistoryRequest}.
 *
 * @param peerId the other user of a direct conversation
 * @param peerName the other user, by name
 * @param groupId the group
 * @param messageId the message to recall
 */
@Command(code = 38)
public record RecallMessageRequest(String peerId, String peerName, String groupId, long messageId) {}
