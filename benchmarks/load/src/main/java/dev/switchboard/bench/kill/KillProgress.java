package dev.switchboard.bench.kill;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Totals every client adds to from its event loop and the run reads while it runs: to report progress at each kill
 * and to know when the drain is over. The verdict is not taken from these but from the ledgers and senders.
 */
final class KillProgress {

    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    /** Deliveries of a message its recipient had not had yet. */
    final LongAdder firstDeliveries = new LongAdder();
    final LongAdder logins = new LongAdder();
    /** Clients logged in right now, so the killer knows when a new server carries the whole load. */
    final AtomicInteger online = new AtomicInteger();
    private final int clients;
    /** {@link System#nanoTime()} when the last login brought {@link #online} up to every client. */
    private volatile long allOnlineAtNanos;

    KillProgress(int clients) {
        this.clients = clients;
    }

    /** A client logged in; the one that completes the set stamps the time. */
    void cameOnline() {
        if (online.incrementAndGet() == clients) {
            allOnlineAtNanos = System.nanoTime();
        }
    }

    void wentOffline() {
        online.decrementAndGet();
    }

    /** When every client was last logged in together again, or 0 if never. */
    long allOnlineAtNanos() {
        return allOnlineAtNanos;
    }

    /** Whether every message is acknowledged and every acknowledged one reached its {@code fanout} recipients. */
    boolean settled(int fanout) {
        long ackedNow = acked.sum();
        return sent.sum() == ackedNow && firstDeliveries.sum() >= ackedNow * fanout;
    }
}
