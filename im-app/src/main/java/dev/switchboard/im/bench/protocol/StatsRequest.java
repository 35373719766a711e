package dev.switchboard.im.bench.protocol;

/** Command 24, answered only on loopback connections, even before login. */
public record StatsRequest() {}
