package dev.switchboard.im.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One seeded run: generate the plan, start the server, drive every step, finish, check. A failing run throws an
 * AssertionError naming the seed, how to replay it, every violation, and the operation log (also written to
 * {@code target/model-failures/}, with a transcript of every socket).
 */
final class ModelRun {

    /** Operations per run unless {@code -Dmodel.ops} says otherwise. */
    static final int DEFAULT_OPS = 120;
    private static final int PER_KIND = 8;

    private ModelRun() {}

    static void run(long seed, StoreKind store, Path dataDir) throws Exception {
        int ops = Integer.getInteger("model.ops", DEFAULT_OPS);
        OpGenerator.Plan plan = OpGenerator.plan(seed, store, ops);
        Model model = new Model(plan.users(), plan.versions());
        int executed = 0;
        long started = System.nanoTime();
        long setUpMs = 0;
        long stepsMs = 0;
        List<String> violations;
        StringBuilder transcripts = new StringBuilder();
        String answered;
        try (ServerUnderTest server = store.start(dataDir);
                Driver driver = new Driver(server, model, store)) {
            Checker checker = new Checker(model, store, driver);
            try {
                driver.setUp();
                setUpMs = millisSince(started);
                for (Op op : plan.ops()) {
                    if (driver.aborted()) {
                        break;
                    }
                    driver.execute(executed, op);
                    executed++;
                }
                stepsMs = millisSince(started) - setUpMs;
                driver.finish(checker);
            } catch (IOException e) {
                driver.failed("step " + executed + " (" + plan.ops().get(Math.min(executed, ops - 1)) + ")", e);
            }
            synchronized (driver.lock()) {
                violations = checker.violations();
                answered = checker.answered();
                if (!violations.isEmpty()) {
                    driver.links().forEach(link -> transcripts.append(link.transcript()));
                }
            }
        }
        System.out.printf("model: %s seed %d %s in %d ms (start and set-up %d, steps %d, restarts %d, node kills %d; %s)%n",
                store, seed, violations.isEmpty() ? "passed" : "FAILED", millisSince(started), setUpMs, stepsMs,
                plan.ops().stream().filter(op -> op instanceof Op.Restart).count(),
                plan.ops().stream().filter(op -> op instanceof Op.KillNode).count(), answered);
        if (!violations.isEmpty()) {
            String report = report(plan, executed, violations);
            Path file = Path.of("target", "model-failures", store + "-" + seed + ".txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, report + "\nwhat each socket sent (>) and received (<):\n" + transcripts);
            throw new AssertionError(report);
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static String report(OpGenerator.Plan plan, int executed, List<String> violations) {
        StringBuilder report = new StringBuilder("model run failed: ").append(plan.describe()).append('\n');
        report.append("replay: mvn -B -pl im-app -am verify -Dtest=DeliveryModelTest")
                .append(" -Dsurefire.failIfNoSpecifiedTests=false -Dmodel.store=").append(plan.store())
                .append(" -Dmodel.seed=").append(plan.seed());
        if (plan.ops().size() != DEFAULT_OPS) {
            report.append(" -Dmodel.ops=").append(plan.ops().size());
        }
        report.append("\nviolations (").append(violations.size()).append("), by kind:\n");
        Map<String, List<String>> byKind = new LinkedHashMap<>();
        for (String violation : violations) {
            String kind = violation.startsWith("[") ? violation.substring(0, violation.indexOf(']') + 1) : "[?]";
            byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(violation);
        }
        byKind.forEach((kind, all) -> {
            report.append(' ').append(kind).append(' ').append(all.size()).append('\n');
            all.stream().limit(PER_KIND).forEach(v -> report.append("  - ").append(v).append('\n'));
            if (all.size() > PER_KIND) {
                report.append("  - ... ").append(all.size() - PER_KIND).append(" more\n");
            }
        });
        report.append("ops (").append(executed).append(" of ").append(plan.ops().size()).append(" executed):\n");
        for (int step = 0; step < plan.ops().size(); step++) {
            report.append(step < executed ? "  #" : "  (not run) #").append(step).append(' ')
                    .append(plan.ops().get(step)).append('\n');
        }
        return report.toString();
    }
}
