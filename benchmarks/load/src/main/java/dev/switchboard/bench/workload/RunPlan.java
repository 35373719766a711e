package dev.switchboard.bench.workload;

import java.time.Duration;

/**
 * The phases of a timed run.
 *
 * @param warmup traffic before measurement starts (checked for losses, not timed)
 * @param duration the measured phase
 * @param drain after sending stops, the longest wait for outstanding acks and deliveries; what has not arrived
 *     by then is lost
 */
public record RunPlan(Duration warmup, Duration duration, Duration drain) {

    public RunPlan {
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup < 0: " + warmup);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
        if (drain.isNegative()) {
            throw new IllegalArgumentException("drain < 0: " + drain);
        }
    }
}
