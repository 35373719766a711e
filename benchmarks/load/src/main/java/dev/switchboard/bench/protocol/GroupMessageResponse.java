package dev.switchboard.bench.protocol;

/** Command 16: a group message delivered to one member (the sender's own connections included). */
public record GroupMessageResponse(
        String fromGroupId, UserRef fromUser, String message, Long messageId, Long seq, Long timestamp) {}
