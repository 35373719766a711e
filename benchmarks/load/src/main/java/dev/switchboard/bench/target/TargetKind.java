package dev.switchboard.bench.target;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which server a run targets, as named on the command line. */
public enum TargetKind {
    /** A running server at --host/--port. */
    EXTERNAL("external"),
    /** The baseline relay in this JVM. */
    BASELINE("baseline"),
    /** The baseline relay in a child JVM, as isolated as a child IM server. */
    BASELINE_CHILD("baseline-child"),
    /** The IM server in a child JVM. */
    CHILD("child"),
    /** N IM servers in child JVMs as one cluster, on a PostgreSQL and a Redis started for the run. */
    CLUSTER("cluster");

    private final String cliName;

    TargetKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /**
     * The baseline to compare this target with, run the same way: a server in another process is compared with
     * the baseline in another process, so both pay for the same loopback hops and neither shares the load
     * generator's heap.
     */
    public TargetKind baselineCounterpart() {
        return this == BASELINE ? BASELINE : BASELINE_CHILD;
    }

    /** Parses a command-line name. */
    public static TargetKind parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(kind -> kind.cliName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown target '" + name + "'; expected one of "
                        + Arrays.stream(values()).map(TargetKind::cliName).collect(Collectors.joining(", "))));
    }
}
