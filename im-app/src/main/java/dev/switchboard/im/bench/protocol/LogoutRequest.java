package dev.switchboard.im.bench.protocol;

/** Command 5. */
public record LogoutRequest() {}
