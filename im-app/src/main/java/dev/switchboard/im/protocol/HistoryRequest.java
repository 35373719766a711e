package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 28 (v2): a page of a conversation's history, newest first. Name the conversation by exactly one of
 * {@code peerId}, {@code peerName} (a direct conversation) or {@code groupId}.
 *
 * @param peerId the other user of a direct conversation
 * @param peerName the other user, by name
 * @param groupId the group
 * @param beforeMessageId only messages older than this one; absent for the newest
 * @param limit at most this many (1 to 200; default 50)
 */
@Command(code = 28)
public record HistoryRequest(String peerId, String peerName, String groupId, Long beforeMessageId, Integer limit) {}
