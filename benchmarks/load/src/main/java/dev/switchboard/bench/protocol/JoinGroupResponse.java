package dev.switchboard.bench.protocol;

/** Command 12. */
public record JoinGroupResponse(String groupId, boolean success, String reason) {}
