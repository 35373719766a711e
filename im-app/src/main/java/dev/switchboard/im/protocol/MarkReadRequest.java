package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 32 (v2): "I have read this conversation up to this message". Name the conversation as in {@link HistoryRequest}.
 *
 * @param peerId the other user of a direct conversation
 * @param peerName the other user, by name
 * @param groupId the group
 * @param messageId the newest message read; a larger id than the conversation's newest is capped to it
 */
@Command(code = 32)
public record MarkReadRequest(String peerId, String peerName, String groupId, long messageId) {}
