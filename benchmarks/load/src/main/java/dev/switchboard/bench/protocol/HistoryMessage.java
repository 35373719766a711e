package dev.switchboard.bench.protocol;

/** A message in a {@link HistoryResponse} or as a {@link ConversationInfo}'s last message. */
public record HistoryMessage(long messageId, String fromUserId, String fromUserName, String message, long timestamp) {}
