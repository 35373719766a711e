package dev.switchboard.im.bench.protocol;

/** Command 24, answered only on loopback connections, even before login; {@code gc} asks for a GC first. */
public record StatsRequest(Boolean gc) {

    /** Stats after a garbage collection, so heap figures compare. */
    public static StatsRequest afterGc() {
        return new StatsRequest(true);
    }
}
