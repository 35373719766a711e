package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 34 (v2): a read position moved. Delivered through the inbox like a message (it has a {@code seq}; acknowledge it),
 * to every device of the reader, and in a direct conversation to the other side's.
 *
 * @param peerId the direct conversation, named as the receiving user names it (the other participant), or absent
 * @param groupId the group, or absent
 * @param userId who read
 * @param userName the reader's name
 * @param readUpTo the id of the newest message read
 * @param seq the receiving account's sequence number
 */
@Command(code = 34)
public record ReadPositionChanged(String peerId, String groupId, String userId, String userName, long readUpTo,
                                  Long seq) {}
