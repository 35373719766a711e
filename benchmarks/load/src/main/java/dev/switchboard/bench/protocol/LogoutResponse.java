package dev.switchboard.bench.protocol;

/** Command 6. */
public record LogoutResponse(boolean success, String reason) {}
