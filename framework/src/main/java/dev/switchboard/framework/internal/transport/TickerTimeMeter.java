package dev.switchboard.framework.internal.transport;

import io.github.bucket4j.TimeMeter;
import java.util.function.LongSupplier;

/** Bucket4j time read from a nanosecond clock we choose, so that rate limits can be tested on fake time. */
record TickerTimeMeter(LongSupplier nanos) implements TimeMeter {

    @Override
    public long currentTimeNanos() {
        return nanos.getAsLong();
    }

    @Override
    public boolean isWallClockBased() {
        return false;
    }
}
