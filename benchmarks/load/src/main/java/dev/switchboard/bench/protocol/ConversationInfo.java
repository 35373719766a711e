package dev.switchboard.bench.protocol;

/** One line of a {@link ConversationsResponse}: exactly one of {@code peerId} and {@code groupId} is set. */
public record ConversationInfo(String peerId, String peerName, String groupId, HistoryMessage lastMessage,
        long readUpTo, int unreadCount, long activeAt) {}
