package dev.switchboard.bench.kill;

/**
 * One kill of the server.
 *
 * @param number 1 for the first kill
 * @param atSeconds since the load started
 * @param resumeMillis from the killed server's ready line (the load's start, for the first) until every client was
 *     logged in on it: the time it took the clients to come back
 * @param onlineAtKill clients logged in when it was killed: all of them, unless some could not resume in time
 * @param ackedBefore messages acknowledged since the previous restart (or the start): the load this server took
 * @param restartMillis from the kill until the new server printed its ready line
 */
public record Kill(int number, double atSeconds, long resumeMillis, int onlineAtKill, long ackedBefore,
        long restartMillis) {}
