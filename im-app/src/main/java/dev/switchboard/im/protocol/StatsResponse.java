package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 25 (v2): server statistics.
 *
 * @param connections open connections
 * @param onlineUsers users with at least one logged-in connection
 * @param heapUsedBytes heap in use
 * @param rssBytes resident set size of the process (0 where unknown)
 */
@Command(code = 25)
public record StatsResponse(int connections, int onlineUsers, long heapUsedBytes, long rssBytes) {}
