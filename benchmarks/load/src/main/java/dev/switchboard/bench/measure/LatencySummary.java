package dev.switchboard.bench.measure;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of a latency histogram, in microseconds.
 *
 * @param count how many values were recorded
 */
public record LatencySummary(long count, double meanMicros, long p50Micros, long p90Micros, long p99Micros,
        long p999Micros, long maxMicros) {

    /** No values. */
    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0);

    /** Summarizes a histogram of microsecond values. */
    public static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencySummary(
                micros.getTotalCount(),
                micros.getMean(),
                micros.getValueAtPercentile(50),
                micros.getValueAtPercentile(90),
                micros.getValueAtPercentile(99),
                micros.getValueAtPercentile(99.9),
                micros.getMaxValue());
    }

    /** "p50 / p99 / p99.9 / max" in milliseconds, for tables. */
    public String describeMillis() {
        if (count == 0) {
            return "-";
        }
        return String.format("p50 %s  p99 %s  p99.9 %s  max %s ms",
                millis(p50Micros), millis(p99Micros), millis(p999Micros), millis(maxMicros));
    }

    private static String millis(long micros) {
        return String.format("%.3f", micros / 1000.0);
    }
}
