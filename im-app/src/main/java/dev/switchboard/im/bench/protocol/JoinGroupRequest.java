package dev.switchboard.im.bench.protocol;

/** Command 11. */
public record JoinGroupRequest(String groupId) {}
