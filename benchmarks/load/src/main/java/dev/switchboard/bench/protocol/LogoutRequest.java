package dev.switchboard.bench.protocol;

/** Command 5. */
public record LogoutRequest() {}
