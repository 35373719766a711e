package dev.switchboard.im.bench.protocol;

/** Command 18. */
public record HeartBeatResponse() {}
