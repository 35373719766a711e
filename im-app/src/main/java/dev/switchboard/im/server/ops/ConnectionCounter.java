package dev.switchboard.im.server.ops;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts open connections, for the admin listener's statistics; {@link SessionCleanup} keeps it. */
@Singleton
public final class ConnectionCounter {

    private final AtomicInteger open = new AtomicInteger();

    void opened() {
        open.incrementAndGet();
    }

    void closed() {
        open.decrementAndGet();
    }

    public int open() {
        return open.get();
    }
}
