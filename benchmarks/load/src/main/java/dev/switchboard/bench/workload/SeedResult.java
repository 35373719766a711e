package dev.switchboard.bench.workload;

/**
 * How the data of a read benchmark was put in, through the protocol, before anything was measured.
 *
 * @param what what was seeded, for the table ("messages in one direct conversation")
 * @param count messages stored (SendAck'd)
 * @param refused messages refused by the server (fails the run)
 * @param seconds how long seeding took (not part of any measured rate)
 * @param perSecond messages stored per second while seeding
 */
public record SeedResult(String what, long count, long refused, double seconds, double perSecond) {}
