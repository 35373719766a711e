package dev.switchboard.bench.protocol;

/** Command 19, server to sender: the message with this {@code clientMsgId} is stored. */
public record SendAck(String clientMsgId, Long messageId, Long timestamp) {}
