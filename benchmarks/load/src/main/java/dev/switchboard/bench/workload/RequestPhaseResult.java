package dev.switchboard.bench.workload;

import dev.switchboard.bench.measure.LatencySummary;

/**
 * One timed phase of request loops (history pages, conversation lists).
 *
 * @param requests requests answered in the phase
 * @param failures requests refused or unanswered (connection closed)
 * @param seconds length of the phase
 * @param requestsPerSecond answered requests per second
 * @param items what the answers carried: messages (history) or conversations (lists)
 * @param emptyAnswers answers that carried nothing although the seeded data says they should have
 * @param latency request sent to answer read
 * @param firstFailure what the first failure was, or {@code null}
 */
public record RequestPhaseResult(long requests, long failures, double seconds, double requestsPerSecond, long items,
        long emptyAnswers, LatencySummary latency, String firstFailure) {

    /** Items per second. */
    public double itemsPerSecond() {
        return seconds == 0 ? 0 : items / seconds;
    }
}
