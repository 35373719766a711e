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

    /** Whether every message is acknowledged and every acknowledged one reached its {@code fanout} recipients. */
    boolean settled(int fanout) {
        long ackedNow = acked.sum();
        return sent.sum() == ackedNow && firstDeliveries.sum() >= ackedNow * fanout;
    }
}
