package dev.switchboard.bench.protocol;

/**
 * Command 30 (v2): a page of the user's conversations, most recently active first; {@code beforeActiveAt} (the last
 * {@link ConversationInfo#activeAt()} of the previous page) is absent for the first page; {@code limit} 1 to 200.
 */
public record ConversationsRequest(Long beforeActiveAt, Integer limit) {}
