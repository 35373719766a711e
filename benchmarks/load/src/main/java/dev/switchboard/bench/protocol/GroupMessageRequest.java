package dev.switchboard.bench.protocol;

/** Command 15. */
public record GroupMessageRequest(String toGroupId, String message, String clientMsgId) {}
