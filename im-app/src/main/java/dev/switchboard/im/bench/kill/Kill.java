package dev.switchboard.im.bench.kill;

/**
 * One kill of the server.
 *
 * @param number 1 for the first kill
 * @param atSeconds since the load started
 * @param ackedBefore messages acknowledged since the previous restart (or the start): the load this server took
 * @param restartMillis from the kill until the new server printed its ready line
 */
public record Kill(int number, double atSeconds, long ackedBefore, long restartMillis) {}
