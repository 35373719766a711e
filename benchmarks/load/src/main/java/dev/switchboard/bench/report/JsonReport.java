package dev.switchboard.bench.report;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine-readable result file, for the documentation generator:
 *
 * <pre>{@code
 * { "workload": "direct", "generatedAt": "...", "passed": true, "options": {...},
 *   "runs": [ { "target": "baseline-child", "passed": true, "problems": [],
 *               "headline": 123456.7, "headlineUnit": "msgs/s", "result": { ...workload fields... } } ],
 *   "ratio": 0.71,
 *   "ratios": [ { "of": "child (memory)", "to": "baseline-child", "throughput": 0.71, "p50": 1.4, "p99": 1.2 } ] }
 * }</pre>
 *
 * {@code ratio} (second run's headline over the first's) is present only for two runs ({@code --compare});
 * {@code ratios} ({@link Comparison}: the last run against each earlier one, latency ratios left out where not
 * measured) for two runs or more ({@code --compare}, {@code --compare-single}). Latencies are in
 * microseconds, memory in bytes, durations in seconds.
 */
public final class JsonReport {

    private JsonReport() {}

    public static void write(Path file, String workload, Map<String, Object> options, List<TargetRun> runs)
            throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("workload", workload);
        root.put("generatedAt", Instant.now().toString());
        root.put("passed", runs.stream().allMatch(TargetRun::passed));
        root.put("options", options);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (TargetRun run : runs) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("target", run.target());
            entry.put("passed", run.passed());
            entry.put("problems", run.result().problems());
            entry.put("headline", run.result().headline());
            entry.put("headlineUnit", run.result().headlineUnit());
            entry.put("result", run.result());
            entries.add(entry);
        }
        root.put("runs", entries);
        Double ratio = ResultTable.ratio(runs);
        if (ratio != null) {
            root.put("ratio", ratio);
        }
        List<Comparison> comparisons = Comparison.of(runs);
        if (!comparisons.isEmpty()) {
            root.put("ratios", comparisons);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, JSON.toJSONString(root, JSONWriter.Feature.PrettyFormat), StandardCharsets.UTF_8);
    }
}
