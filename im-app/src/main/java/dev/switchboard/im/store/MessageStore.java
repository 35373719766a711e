package dev.switchboard.im.store;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Messages and per-user inboxes. Each user's inbox is numbered by {@code seq} 1, 2, 3, ... without gaps; a seq is
 * never reused, also across restarts. Asynchronous and ordered as described in {@link Storage}.
 */
public interface MessageStore {

    /** The largest {@code limit} accepted by {@link #inboxAfter}. */
    int MAX_INBOX_PAGE = 10_000;

    /**
     * Durably stores the message (durable = committed with synchronous=FULL before the stage completes) and appends
     * it to each recipient's inbox with that recipient's next seq (per-user, starting at 1, increasing by exactly 1,
     * no gaps). Idempotent: a second append with the same non-null (senderId, clientMsgId) stores nothing and returns
     * the ORIGINAL message and seqs with duplicate = true. Stages complete in the order appends were submitted.
     *
     * <p>Deduplication is kept as long as the original message is stored (SQLite: until every recipient acknowledged
     * it and the retention period passed; memory: a bounded window of recent appends).
     */
    CompletionStage<Appended> append(NewMessage message);

    /**
     * Inbox entries of userId with seq &gt; afterSeq, ascending, at most limit. Entries that were acknowledged may
     * already have been pruned and are then missing (the memory store prunes them at once).
     *
     * @throws IllegalArgumentException if {@code afterSeq < 0} or {@code limit} is not in 1..{@value #MAX_INBOX_PAGE}
     */
    CompletionStage<List<InboxEntry>> inboxAfter(String userId, long afterSeq, int limit);

    /**
     * Cumulative ack: everything up to upToSeq is delivered. Never moves backwards, and never past the last seq
     * assigned to the user (a larger value is capped, so a bogus ack cannot mark future messages delivered).
     *
     * @throws IllegalArgumentException if {@code upToSeq < 0}
     */
    CompletionStage<Void> acknowledge(String userId, long upToSeq);

    /** The acknowledged seq; 0 if none. */
    CompletionStage<Long> acknowledgedSeq(String userId);

    /** The last seq assigned to the user; 0 if none. */
    CompletionStage<Long> lastSeq(String userId);
}
