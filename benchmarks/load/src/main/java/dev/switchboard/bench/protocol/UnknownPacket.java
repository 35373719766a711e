package dev.switchboard.bench.protocol;

/** A well-framed packet whose command code this side does not know (21/22 notifications, say). Never encoded. */
public record UnknownPacket(int command) {}
