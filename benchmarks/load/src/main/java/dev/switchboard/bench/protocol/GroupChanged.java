package dev.switchboard.bench.protocol;

/**
 * Command 48: a stored group event (created, joined, ...). It takes a seq in each member's inbox like a message, so
 * the load generator counts and acknowledges it to keep the seq stream whole; what changed is not read.
 */
public record GroupChanged(String groupId, String event, Long seq) {}
