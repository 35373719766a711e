package dev.switchboard.bench.report;

/** One workload's result against one target. */
public record TargetRun(String target, BenchResult result) {

    public boolean passed() {
        return result.problems().isEmpty();
    }
}
