package dev.switchboard.bench.protocol;

/** Command 18. */
public record HeartBeatResponse() {}
