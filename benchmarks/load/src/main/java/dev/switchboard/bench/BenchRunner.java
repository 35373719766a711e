package dev.switchboard.bench;

import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.report.BenchResult;
import dev.switchboard.bench.report.JsonReport;
import dev.switchboard.bench.report.ResultTable;
import dev.switchboard.bench.report.TargetRun;
import dev.switchboard.bench.target.BenchTarget;
import dev.switchboard.bench.target.TargetKind;
import dev.switchboard.bench.target.TargetLauncher;
import dev.switchboard.bench.workload.Workload;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs one workload against the chosen target (after the baseline, with {@code --compare}), each with its own
 * client event loops, then prints the table, writes the JSON file and picks the exit code.
 */
final class BenchRunner {

    /** Every run passed. */
    static final int PASSED = 0;
    /** A run lost or duplicated messages, delivered nothing, or failed otherwise. */
    static final int FAILED = 1;
    /** The benchmark could not run: a target did not start, setup failed. */
    static final int ERROR = 2;

    private BenchRunner() {}

    static int run(CommonOptions common, Map<String, Object> options, Function<BenchTarget, Workload> workloadFor,
            PrintWriter out, PrintWriter err) {
        String conflict = common.tlsConflict();
        if (conflict != null) {
            err.println("bench: " + conflict);
            return ERROR;
        }
        List<TargetKind> kinds = common.compare
                ? List.of(common.target.baselineCounterpart(), common.target)
                : List.of(common.target);
        List<TargetRun> runs = new ArrayList<>();
        String workloadName = null;
        try {
            for (TargetKind kind : kinds) {
                try (BenchTarget target = TargetLauncher.start(kind, common.targetOptions());
                        ClientTransport transport = new ClientTransport(common.clientThreads(), common.tls)) {
                    Workload workload = workloadFor.apply(target);
                    workloadName = workload.name();
                    err.printf("bench %s: running against %s at %s%n", workload.name(), target.label(),
                            target.address());
                    BenchResult result = workload.run(transport, target.address());
                    runs.add(new TargetRun(target.label(), result));
                }
            }
            out.print(ResultTable.render(workloadName, runs));
            out.flush();
            if (common.jsonOut != null) {
                JsonReport.write(common.jsonOut, workloadName, options, runs);
                err.println("bench: results written to " + common.jsonOut);
            }
            return runs.stream().allMatch(TargetRun::passed) ? PASSED : FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("bench: interrupted");
            return ERROR;
        } catch (Exception e) {
            if (!runs.isEmpty()) {
                out.print(ResultTable.render(workloadName, runs));
            }
            err.println("bench failed: " + e.getMessage());
            return ERROR;
        }
    }
}
