package dev.switchboard.bench.workload;

import java.time.Duration;

/** The bounds the history and conversations configurations share. */
final class ReadChecks {

    /** The server's largest page ({@code ConversationHandlers.MAX_PAGE}). */
    static final int MAX_PAGE = 200;

    private ReadChecks() {}

    static void pageSize(int pageSize) {
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            throw new IllegalArgumentException("pageSize outside 1.." + MAX_PAGE + ": " + pageSize);
        }
    }

    static void clients(int clients) {
        if (clients < 1) {
            throw new IllegalArgumentException("clients < 1: " + clients);
        }
    }

    static void phases(Duration warmup, Duration duration) {
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup < 0: " + warmup);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
    }
}
