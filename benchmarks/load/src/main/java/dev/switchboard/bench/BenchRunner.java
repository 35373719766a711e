package dev.switchboard.bench;

import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.report.BenchResult;
import dev.switchboard.bench.report.JsonReport;
import dev.switchboard.bench.report.ResultTable;
import dev.switchboard.bench.report.TargetRun;
import dev.switchboard.bench.target.BenchTarget;
import dev.switchboard.bench.target.TargetLauncher;
import dev.switchboard.bench.workload.Workload;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs one workload against the chosen target (after the baseline with {@code --compare}, after two single servers
 * with {@code --compare-single}), each with its own client event loops, then prints the table, writes the JSON file
 * and picks the exit code. Whatever it started (servers, and the PostgreSQL and Redis of a cluster) is stopped
 * before it returns, also when a run fails.
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
        String conflict = common.conflict();
        if (conflict != null) {
            err.println("bench: " + conflict);
            return ERROR;
        }
        List<TargetRun> runs = new ArrayList<>();
        String workloadName = null;
        try (TargetLauncher launcher = new TargetLauncher(common.targetOptions())) {
            for (CommonOptions.PlannedTarget planned : common.plan()) {
                try (BenchTarget target = launcher.start(planned.kind(), planned.store());
                        ClientTransport transport = new ClientTransport(common.clientThreads(), common.tls)) {
                    Workload workload = workloadFor.apply(target);
                    workloadName = workload.name();
                    err.printf("bench %s: running against %s at %s%n", workload.name(), target.label(),
                            target.addresses());
                    BenchResult result = workload.run(transport, target.addresses());
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
