package dev.switchboard.im.bench.protocol;

/** Command 25: the server's open connections, logged-in users and memory ({@code rssBytes} 0 where unknown). */
public record StatsResponse(long connections, long onlineUsers, long heapUsedBytes, long rssBytes) {}
