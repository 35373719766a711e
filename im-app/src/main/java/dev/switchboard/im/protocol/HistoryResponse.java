package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;
import java.util.List;

/**
 * 29 (v2): the answer to a {@link HistoryRequest}.
 *
 * @param peerId the direct conversation's other user, or absent
 * @param peerName that user's name, or absent
 * @param groupId the group, or absent
 * @param messages newest first
 * @param more whether older messages remain: ask again with the last one's id as {@code beforeMessageId}
 * @param peerReadUpTo in a direct conversation, the other user's read position (your messages with ids up to it
 *     were read; 0 if none was); absent for a group, whose readers are counted with a {@link ReadCountRequest}
 */
@Command(code = 29)
public record HistoryResponse(String peerId, String peerName, String groupId, List<HistoryMessage> messages,
                              boolean more, Long peerReadUpTo) {}
