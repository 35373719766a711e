package dev.switchboard.bench.workload;

import java.util.concurrent.ThreadLocalRandom;

/**
 * User names unique to one run, so runs against a persistent server never meet users, sequence numbers or offline
 * messages of an earlier run: {@code b<random>-<role><index>}.
 */
record UserNames(String runId) {

    static UserNames fresh() {
        return new UserNames("b" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36));
    }

    String name(String role, int index) {
        return runId + "-" + role + index;
    }
}
