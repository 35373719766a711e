package dev.switchboard.bench.kill;

/**
 * One kill of a server.
 *
 * @param number 1 for the first kill
 * @param server the server killed: the child's label, or the node's ("node2")
 * @param atSeconds since the load started
 * @param resumeMillis from the killed server's ready line (the load's start, for the first) until every client was
 *     logged in on it: the time it took the clients to come back
 * @param onlineAtKill clients logged in when it was killed: all of them, unless some could not resume in time
 * @param ackedBefore messages acknowledged since the previous restart (or the start): the load the servers took
 * @param restartMillis from the kill until the new server printed its ready line
 * @param backMillis from the kill until every client was logged in again, on any server: a cluster's failover
 *     time; for a single server, its restart and the resumes; -1 if they were not all back within 30 s of the
 *     restart
 */
public record Kill(int number, String server, double atSeconds, long resumeMillis, int onlineAtKill, long ackedBefore,
        long restartMillis, long backMillis) {}
