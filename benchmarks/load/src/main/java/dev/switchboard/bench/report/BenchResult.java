package dev.switchboard.bench.report;

import dev.switchboard.bench.measure.LatencySummary;
import java.util.List;
import java.util.Optional;

/** What every workload reports: a headline figure, lines for the table, and what went wrong. */
public interface BenchResult {

    /** The workload's name: direct, group, connections, logins, history, conversations. */
    String workload();

    /** The throughput that {@code --compare} divides; higher is better. */
    double headline();

    /** The unit of {@link #headline()}, such as "msgs/s". */
    String headlineUnit();

    /** The latency that goes with the headline, for comparisons, if the workload measures one. */
    default Optional<LatencySummary> headlineLatency() {
        return Optional.empty();
    }

    /** The lines of the human-readable table, in order. */
    List<ResultLine> lines();

    /** Why the run failed (lost or duplicated messages, nothing delivered, ...); empty if it passed. */
    List<String> problems();
}
