package dev.switchboard.bench.protocol;

/** Command 17. */
public record HeartBeatRequest() {}
