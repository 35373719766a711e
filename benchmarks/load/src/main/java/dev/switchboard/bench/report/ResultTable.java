package dev.switchboard.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders runs of one workload side by side, one column per target, then each run's verdict and, for several runs,
 * the ratios of the last one's headline (and latency, where measured) to each earlier one's ({@link Comparison}).
 */
public final class ResultTable {

    private ResultTable() {}

    public static String render(String workload, List<TargetRun> runs) {
        List<List<ResultLine>> columns = runs.stream().map(run -> run.result().lines()).toList();
        int rows = columns.stream().mapToInt(List::size).max().orElse(0);
        List<String[]> table = new ArrayList<>();
        String[] header = new String[runs.size() + 1];
        header[0] = "bench " + workload;
        for (int i = 0; i < runs.size(); i++) {
            header[i + 1] = runs.get(i).target();
        }
        table.add(header);
        for (int row = 0; row < rows; row++) {
            String[] cells = new String[runs.size() + 1];
            for (int i = 0; i < columns.size(); i++) {
                List<ResultLine> column = columns.get(i);
                if (row < column.size()) {
                    cells[0] = column.get(row).label();
                    cells[i + 1] = column.get(row).value();
                } else {
                    cells[i + 1] = "";
                }
            }
            table.add(cells);
        }
        String[] verdicts = new String[runs.size() + 1];
        verdicts[0] = "result";
        for (int i = 0; i < runs.size(); i++) {
            verdicts[i + 1] = runs.get(i).passed() ? "PASS" : "FAIL";
        }
        table.add(verdicts);

        int[] widths = new int[header.length];
        for (String[] cells : table) {
            for (int i = 0; i < cells.length; i++) {
                widths[i] = Math.max(widths[i], cells[i] == null ? 0 : cells[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < table.size(); r++) {
            String[] cells = table.get(r);
            for (int i = 0; i < cells.length; i++) {
                String cell = cells[i] == null ? "" : cells[i];
                out.append(i == 0 ? String.format("%-" + widths[0] + "s", cell)
                        : "  " + String.format("%-" + widths[i] + "s", cell));
            }
            out.append(System.lineSeparator());
            if (r == 0) {
                out.append("-".repeat(out.length() - System.lineSeparator().length()))
                        .append(System.lineSeparator());
            }
        }
        for (TargetRun run : runs) {
            for (String problem : run.result().problems()) {
                out.append("FAIL ").append(run.target()).append(": ").append(problem).append(System.lineSeparator());
            }
        }
        for (Comparison comparison : Comparison.of(runs)) {
            out.append(String.format("ratio %s / %s: %.3f (%s)", comparison.of(), comparison.to(),
                    comparison.throughput(), runs.get(0).result().headlineUnit()));
            if (comparison.p50() != null) {
                out.append(String.format("; latency p50 %.2fx, p99 %.2fx", comparison.p50(), comparison.p99()));
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }

    /** The second run's headline over the first's, for a comparison of two runs; {@code null} otherwise. */
    public static Double ratio(List<TargetRun> runs) {
        if (runs.size() != 2 || runs.get(0).result().headline() == 0) {
            return null;
        }
        return runs.get(1).result().headline() / runs.get(0).result().headline();
    }
}
