package dev.switchboard.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.measure.LatencySummary;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    /** A result with a headline and, optionally, a latency. */
    private record Fixed(double headline, LatencySummary latency) implements BenchResult {

        @Override
        public String workload() {
            return "direct";
        }

        @Override
        public String headlineUnit() {
            return "msgs/s";
        }

        @Override
        public Optional<LatencySummary> headlineLatency() {
            return Optional.ofNullable(latency);
        }

        @Override
        public List<ResultLine> lines() {
            return List.of(ResultLine.of("messages/s", headline, "msgs/s"));
        }

        @Override
        public List<String> problems() {
            return List.of();
        }
    }

    private static LatencySummary latency(long p50, long p99) {
        return new LatencySummary(100, p50, p50, p99, p99, p99, p99);
    }

    @Test
    void comparesTheLastRunWithEachEarlierOneThroughputAndLatency() {
        List<TargetRun> runs = List.of(new TargetRun("child (postgres)", new Fixed(1000, latency(2000, 8000))),
                new TargetRun("child (sqlite)", new Fixed(4000, latency(500, 1000))),
                new TargetRun("cluster (3 nodes)", new Fixed(800, latency(3000, 10000))));

        assertThat(Comparison.of(runs)).containsExactly(
                new Comparison("cluster (3 nodes)", "child (postgres)", 0.8, 1.5, 1.25),
                new Comparison("cluster (3 nodes)", "child (sqlite)", 0.2, 6.0, 10.0));
        assertThat(ResultTable.render("direct", runs))
                .contains("ratio cluster (3 nodes) / child (postgres): 0.800 (msgs/s); latency p50 1.50x, p99 1.25x")
                .contains("ratio cluster (3 nodes) / child (sqlite): 0.200 (msgs/s); latency p50 6.00x, p99 10.00x");
        assertThat(ResultTable.ratio(runs)).as("the single ratio is for two runs").isNull();
    }

    @Test
    void leavesLatencyOutWhereARunHasNoneAndComparesNothingForOneRun() {
        List<TargetRun> runs = List.of(new TargetRun("baseline", new Fixed(2000, null)),
                new TargetRun("child", new Fixed(1000, latency(100, 200))));
        assertThat(Comparison.of(runs)).containsExactly(new Comparison("child", "baseline", 0.5, null, null));
        assertThat(ResultTable.render("direct", runs)).contains("ratio child / baseline: 0.500 (msgs/s)\n")
                .doesNotContain("latency p50");
        assertThat(Comparison.of(runs.subList(0, 1))).isEmpty();
    }
}
