package dev.switchboard.bench.workload;

import dev.switchboard.bench.measure.LatencySummary;

/**
 * One measured phase of the logins run.
 *
 * @param phase "fresh-password", "existing-password" or "token"
 * @param logins successful logins
 * @param failures connects or logins that failed
 * @param seconds length of the phase
 * @param loginsPerSecond successful logins per second
 * @param latency connect start to LoginResponse
 * @param firstFailure what the first failure was, or {@code null}
 */
public record LoginPhaseResult(String phase, long logins, long failures, double seconds, double loginsPerSecond,
        LatencySummary latency, String firstFailure) {}
