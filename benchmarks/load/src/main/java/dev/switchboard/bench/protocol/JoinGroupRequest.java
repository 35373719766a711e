package dev.switchboard.bench.protocol;

/** Command 11. */
public record JoinGroupRequest(String groupId) {}
