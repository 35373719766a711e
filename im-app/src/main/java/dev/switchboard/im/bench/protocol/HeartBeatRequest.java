package dev.switchboard.im.bench.protocol;

/** Command 17. */
public record HeartBeatRequest() {}
