package dev.switchboard.bench.report;

import dev.switchboard.bench.measure.LatencySummary;
import java.util.ArrayList;
import java.util.List;

/**
 * The last run of a command against an earlier one: {@code --compare} (target / baseline) or
 * {@code --compare-single} (cluster / each single node).
 *
 * @param of the last run's target
 * @param to the earlier run's target
 * @param throughput the last run's headline over the earlier one's
 * @param p50 the last run's median latency over the earlier one's; null without latencies on both sides
 * @param p99 the same for the 99th percentile
 */
public record Comparison(String of, String to, double throughput, Double p50, Double p99) {

    /** The last run against each earlier one, in order; none for a single run or an earlier headline of 0. */
    public static List<Comparison> of(List<TargetRun> runs) {
        List<Comparison> comparisons = new ArrayList<>();
        if (runs.size() < 2) {
            return comparisons;
        }
        TargetRun last = runs.get(runs.size() - 1);
        for (TargetRun earlier : runs.subList(0, runs.size() - 1)) {
            if (earlier.result().headline() == 0) {
                continue;
            }
            LatencySummary mine = last.result().headlineLatency().orElse(null);
            LatencySummary theirs = earlier.result().headlineLatency().orElse(null);
            boolean latencies = mine != null && theirs != null && mine.count() > 0 && theirs.count() > 0
                    && theirs.p50Micros() > 0 && theirs.p99Micros() > 0;
            comparisons.add(new Comparison(last.target(), earlier.target(),
                    last.result().headline() / earlier.result().headline(),
                    latencies ? (double) mine.p50Micros() / theirs.p50Micros() : null,
                    latencies ? (double) mine.p99Micros() / theirs.p99Micros() : null));
        }
        return comparisons;
    }
}
