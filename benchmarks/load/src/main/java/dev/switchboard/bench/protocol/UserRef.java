package dev.switchboard.bench.protocol;

/** A user as named inside other packets. */
public record UserRef(String userId, String userName) {}
