package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 33 (v2): the answer to a {@link MarkReadRequest}.
 *
 * @param peerId the direct conversation's other user, or absent
 * @param peerName that user's name, or absent
 * @param groupId the group, or absent
 * @param readUpTo the read position now: never lower than before, so possibly above the request's
 */
@Command(code = 33)
public record MarkReadResponse(String peerId, String peerName, String groupId, long readUpTo) {}
