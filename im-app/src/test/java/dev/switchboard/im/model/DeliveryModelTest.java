package dev.switchboard.im.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery model test: seeded random operations against the real server on every store, checked against the
 * reference model (see {@link Checker} for the properties).
 *
 * <ul>
 *   <li>{@code mvn -B verify} runs the regression seeds and a bounded set of fixed seeds per store.</li>
 *   <li>{@code -Dmodel.seed=N} replays one seed (on every store, or on {@code -Dmodel.store=memory|sqlite|
 *       sqlite-child}).</li>
 *   <li>{@code -Dmodel.minutes=N} runs random seeds, cycling through the stores (or only {@code -Dmodel.store}),
 *       for N minutes (fractions allowed), then fails listing every failing seed with its replay flags.</li>
 *   <li>{@code -Dmodel.ops=N} changes the number of operations per run (default {@value ModelRun#DEFAULT_OPS}).</li>
 * </ul>
 */
class DeliveryModelTest {

    /** A seed that found a bug, kept as a regression case. */
    record Regression(StoreKind store, long seed, String found) {}

    /** Every seed that found a bug. */
    static final List<Regression> REGRESSIONS = List.of();

    /** The bounded default set, besides the regressions. */
    static final List<Regression> DEFAULTS = List.of();

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> runs() {
        String seed = System.getProperty("model.seed");
        String minutes = System.getProperty("model.minutes");
        List<StoreKind> stores = stores();
        if (seed != null) {
            return stores.stream().map(store -> run(store, Long.parseLong(seed.strip()), "replay"));
        }
        if (minutes != null) {
            Duration budget = Duration.ofSeconds(Math.round(Double.parseDouble(minutes.strip()) * 60));
            return Stream.of(DynamicTest.dynamicTest("random seeds for " + budget, () -> explore(stores, budget)));
        }
        return Stream.concat(REGRESSIONS.stream(), DEFAULTS.stream())
                .map(run -> run(run.store(), run.seed(), run.found()));
    }

    private DynamicTest run(StoreKind store, long seed, String why) {
        return DynamicTest.dynamicTest(store + " seed " + seed + " (" + why + ")",
                () -> ModelRun.run(seed, store, Files.createTempDirectory(temp, store + "-" + seed + "-")));
    }

    /** Random seeds until the time is up; every failing seed is listed at the end, with its kinds of violation. */
    private void explore(List<StoreKind> stores, Duration budget) throws Exception {
        long deadline = System.nanoTime() + budget.toNanos();
        Random seeds = new Random();
        List<String> failures = new ArrayList<>();
        int runs = 0;
        for (; System.nanoTime() < deadline; runs++) {
            StoreKind store = stores.get(runs % stores.size());
            long seed = seeds.nextLong() & Long.MAX_VALUE;
            Path dir = Files.createTempDirectory(temp, store + "-" + seed + "-");
            try {
                ModelRun.run(seed, store, dir);
                System.out.println("model: " + store + " seed " + seed + " passed");
            } catch (AssertionError failed) {
                String summary = summary(failed.getMessage());
                System.out.println(summary);
                failures.add(summary);
            }
            deleteRecursively(dir); // a long exploration would otherwise fill the disk
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of " + runs + " runs failed (reports in "
                    + "target/model-failures/):\n" + String.join("\n", failures));
        }
        System.out.println("model: " + runs + " runs passed");
    }

    /** The report's first lines: what failed, how to replay, and the count of each kind of violation. */
    private static String summary(String report) {
        StringBuilder summary = new StringBuilder();
        for (String line : report.split("\n")) {
            if (line.startsWith("model run failed") || line.startsWith("replay:") || line.startsWith(" [")) {
                summary.append(line).append('\n');
            }
        }
        return summary.toString();
    }

    private static List<StoreKind> stores() {
        String store = System.getProperty("model.store");
        return store == null || store.isBlank() ? List.of(StoreKind.values()) : List.of(StoreKind.of(store.strip()));
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            java.util.Collections.reverse(all);
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        }
    }
}
