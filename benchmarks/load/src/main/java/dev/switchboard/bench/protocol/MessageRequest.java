package dev.switchboard.bench.protocol;

/** Command 3: a direct message, addressed by {@code toUserId} or (v2) {@code toUserName}. */
public record MessageRequest(String toUserId, String message, String clientMsgId, String toUserName) {}
