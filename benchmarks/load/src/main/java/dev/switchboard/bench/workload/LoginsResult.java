package dev.switchboard.bench.workload;

import dev.switchboard.bench.report.BenchResult;
import dev.switchboard.bench.report.ResultLine;
import java.util.ArrayList;
import java.util.List;

/** The outcome of a logins run: one entry per measured phase. */
public record LoginsResult(int concurrency, List<LoginPhaseResult> phases) implements BenchResult {

    public LoginsResult {
        phases = List.copyOf(phases);
    }

    @Override
    public String workload() {
        return "logins";
    }

    /** Successful logins per second over all measured phases. */
    @Override
    public double headline() {
        double seconds = phases.stream().mapToDouble(LoginPhaseResult::seconds).sum();
        return seconds == 0 ? 0 : phases.stream().mapToLong(LoginPhaseResult::logins).sum() / seconds;
    }

    @Override
    public String headlineUnit() {
        return "logins/s";
    }

    @Override
    public List<ResultLine> lines() {
        List<ResultLine> lines = new ArrayList<>();
        lines.add(new ResultLine("concurrency", concurrency + " connect-login-close loops"));
        for (LoginPhaseResult phase : phases) {
            lines.add(new ResultLine(phase.phase(), String.format("%,.1f logins/s (%,d ok, %,d failed)  %s",
                    phase.loginsPerSecond(), phase.logins(), phase.failures(), phase.latency().describeMillis())));
        }
        lines.add(ResultLine.of("all phases", headline(), "logins/s"));
        return lines;
    }

    @Override
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (LoginPhaseResult phase : phases) {
            if (phase.failures() > 0) {
                problems.add(phase.phase() + ": " + phase.failures() + " failed; first: " + phase.firstFailure());
            }
            if (phase.logins() == 0) {
                problems.add(phase.phase() + ": no successful login");
            }
        }
        return problems;
    }
}
