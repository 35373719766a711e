package dev.switchboard.bench.protocol;

/** Command 4: a direct message delivered to its recipient; {@code seq} counts per recipient, without gaps. */
public record MessageResponse(
        String fromUserId, String fromUserName, String message, Long messageId, Long seq, Long timestamp) {}
