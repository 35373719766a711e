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

    /** The largest {@code limit} accepted by {@link #history} and {@link #conversations}. */
    int MAX_HISTORY_PAGE = 1_000;

    /**
     * Durably stores the message (durable = committed with synchronous=FULL before the stage completes) and appends
     * it to each recipient's inbox with that recipient's next seq (per-user, starting at 1, increasing by exactly 1,
     * no gaps). Idempotent: a second append with the same non-null (senderId, clientMsgId) stores nothing and returns
     * the ORIGINAL message with duplicate = true (and no seqs). Stages complete in the order appends were submitted.
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

    // ---- history, conversations and read positions

    /**
     * A conversation's messages and group events (kinds {@link EntryKind#MESSAGE} and {@link EntryKind#GROUP_EVENT},
     * not read events) with ids in ({@code afterMessageId},
     * {@code beforeMessageId}), newest first, at most {@code limit}. A direct conversation holds the messages both
     * participants sent each other; pass a group member's join point as {@code afterMessageId}. Messages older than
     * the store's history retention may be gone.
     *
     * @throws IllegalArgumentException if {@code limit} is not in 1..{@value #MAX_HISTORY_PAGE} or an id is negative
     */
    CompletionStage<List<StoredMessage>> history(String userId, Conversation conversation, long afterMessageId,
            long beforeMessageId, int limit);

    /**
     * The user's conversations, most recently active first ({@link ConversationSummary#MOST_RECENT_FIRST}), those
     * active before {@code beforeActiveAt} only, at most {@code limit}: every direct conversation the user sent or
     * received a message in, and each of {@code groups} (the user's memberships, from the group store).
     *
     * @throws IllegalArgumentException if {@code limit} is not in 1..{@value #MAX_HISTORY_PAGE}
     */
    CompletionStage<List<ConversationSummary>> conversations(String userId, List<MemberSince> groups,
            long beforeActiveAt, int limit);

    /**
     * Moves the user's read position in the conversation forward to {@code upToMessageId}, capped at the
     * conversation's newest message; never backwards. If it moved, appends a {@link EntryKind#READ} event, in the
     * same step, to the user's inbox and, in a direct conversation, to the peer's, so every device learns positions
     * in the order they were set.
     *
     * @param userName the reader's name, stored with the event
     * @param timestamp when the server accepted the request (epoch millis)
     * @throws IllegalArgumentException if {@code upToMessageId < 0}
     */
    CompletionStage<ReadMark> markRead(String userId, String userName, Conversation conversation, long upToMessageId,
            long timestamp);

    /**
     * The user's read position in the conversation (as the user sees it): the id of the newest message it marked
     * read, 0 if it never did. For a direct conversation's history, the peer's position tells which of one's own
     * messages the peer has read.
     */
    CompletionStage<Long> readPosition(String userId, Conversation conversation);

    /**
     * How many users other than {@code exceptUserId} have read the group up to {@code messageId} or further: members,
     * and former members who read it before they left.
     */
    CompletionStage<Integer> readCount(String groupId, long messageId, String exceptUserId);

    /**
     * Edits or recalls a message, checking in the same step that it exists in that conversation, that the user is
     * its author, that it was not recalled and that the window has not passed; if allowed, changes it (history
     * and later backlog reads show the change) and appends the EDIT or RECALL event to the recipients' inboxes.
     */
    CompletionStage<Changed> change(MessageChange change);

    /** Up to {@code limit} users the user has a direct conversation with (sent or received a message), any order. */
    CompletionStage<List<String>> directPeers(String userId, int limit);
}
