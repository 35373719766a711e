package dev.switchboard.im.store;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Acknowledgements waiting for a store's writer, shared by the durable stores: an ack joins the one batch still
 * waiting in the writer's queue, if there is one, so that a batch is one writer operation holding each user's
 * highest ack. Every member of a group acknowledges every message: one operation per ack would put a thousand
 * operations (and on PostgreSQL a thousand round trips) behind each group message.
 *
 * <p>The operation asks for its acks when it runs; from then on later acks start the next batch. A retried
 * operation gets the same acks again. The batch's stage completes when the writer commits it, shared by the acks it
 * holds.
 */
public final class PendingAcks {

    /** Queues one writer operation that writes the acks {@code acks} gives it (user to highest seq) when it runs. */
    @FunctionalInterface
    public interface Writer {
        CompletableFuture<Void> submit(Supplier<Map<String, Long>> acks);
    }

    private final Writer writer;
    private Batch waiting; // guarded by this: the batch not yet started

    public PendingAcks(Writer writer) {
        this.writer = writer;
    }

    /** Records that the user has everything up to {@code upToSeq}; completes once that is committed. */
    public synchronized CompletionStage<Void> acknowledge(String userId, long upToSeq) {
        Batch batch = waiting;
        if (batch == null) {
            batch = new Batch();
            CompletableFuture<Void> committed = writer.submit(batch);
            if (committed.isDone()) {
                return committed; // rejected (queue full, not running): this ack is not recorded
            }
            batch.committed = committed;
            waiting = batch;
        }
        batch.upTo.merge(userId, upToSeq, Math::max);
        return batch.committed.minimalCompletionStage(); // shared: no caller may complete it for the others
    }

    private synchronized Map<String, Long> started(Batch batch) {
        if (waiting == batch) {
            waiting = null; // later acks start the next batch
        }
        return batch.upTo;
    }

    private final class Batch implements Supplier<Map<String, Long>> {
        /** Filled while the batch waits, no longer once it ran. */
        final Map<String, Long> upTo = new HashMap<>();
        CompletableFuture<Void> committed;

        @Override
        public Map<String, Long> get() {
            return started(this);
        }
    }
}
