package dev.switchboard.framework.testing;

import java.util.function.BooleanSupplier;

/** Waits for a condition that another thread makes true; for loopback tests only (unit tests use fake time). */
public final class Eventually {

    private Eventually() {}

    /** Polls every 5 ms, failing with {@code what} after 10 s. */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }
}
