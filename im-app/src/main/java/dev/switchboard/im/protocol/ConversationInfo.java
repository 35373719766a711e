package dev.switchboard.im.protocol;

/**
 * One conversation in a {@link ConversationsResponse}: exactly one of {@code peerId} and {@code groupId} is set.
 *
 * @param peerId the other user of a direct conversation
 * @param peerName that user's name
 * @param groupId the group
 * @param lastMessage the newest message, absent if there is none yet
 * @param readUpTo the id of the last message the user has read, 0 if none
 * @param unreadCount messages from others after {@code readUpTo}, counted up to 1,000 ("1,000 or more")
 * @param activeAt the order of the list: the last message's id, or where the user joined a group without messages
 */
public record ConversationInfo(String peerId, String peerName, String groupId, HistoryMessage lastMessage,
                               long readUpTo, int unreadCount, long activeAt) {}
