package dev.switchboard.bench.report;

/** One labelled value of a result table. */
public record ResultLine(String label, String value) {

    /** A line for a count. */
    public static ResultLine of(String label, long value) {
        return new ResultLine(label, String.format("%,d", value));
    }

    /** A line for a rate or other fractional value. */
    public static ResultLine of(String label, double value, String unit) {
        return new ResultLine(label, String.format("%,.1f %s", value, unit));
    }
}
