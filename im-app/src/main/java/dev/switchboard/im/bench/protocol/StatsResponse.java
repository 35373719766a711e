package dev.switchboard.im.bench.protocol;

/** Command 25: the server's open connections and memory. */
public record StatsResponse(long connections, long heapUsedBytes, long rssBytes) {}
