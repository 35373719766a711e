package dev.switchboard.im.store;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One line of a user's conversation list.
 *
 * @param conversation the conversation, as the user names it
 * @param lastMessage its newest message the user can see, or {@code null} if it has none yet (a new group)
 * @param readUpTo the user's read position: the id of the last message read, 0 if none
 * @param unreadCount messages after the read position that others sent, counted up to {@link #UNREAD_CAP}
 * @param activeAt what the list is sorted by, an opaque cursor: twice the last message's id, or for a conversation
 *     without messages twice where it started for the user (a group's join point) plus one, so that a group joined
 *     after message N sorts above a conversation whose last message is N; see {@link #of}
 */
public record ConversationSummary(Conversation conversation, StoredMessage lastMessage, long readUpTo,
                                  int unreadCount, long activeAt) {

    /** Unread messages are counted up to this many ("1000 or more"), so that listing costs the same for everyone. */
    public static final int UNREAD_CAP = 1_000;

    /** Most recently active first; ties (several conversations without messages) by conversation, for stable pages. */
    public static final Comparator<ConversationSummary> MOST_RECENT_FIRST =
            Comparator.comparingLong(ConversationSummary::activeAt).reversed()
                    .thenComparing(s -> String.valueOf(s.conversation()));

    public ConversationSummary {
        Objects.requireNonNull(conversation, "conversation");
    }

    /** The summary with its {@link #activeAt()} worked out. */
    public static ConversationSummary of(Conversation conversation, StoredMessage lastMessage, long readUpTo,
            int unreadCount, long joinedAfter) {
        long activeAt = lastMessage != null ? 2 * lastMessage.messageId() : 2 * joinedAfter + 1;
        return new ConversationSummary(conversation, lastMessage, readUpTo, unreadCount, activeAt);
    }

    /** The page of {@code all} active before {@code beforeActiveAt}, most recent first, at most {@code limit}. */
    public static List<ConversationSummary> page(List<ConversationSummary> all, long beforeActiveAt, int limit) {
        return all.stream()
                .filter(summary -> summary.activeAt() < beforeActiveAt)
                .sorted(MOST_RECENT_FIRST)
                .limit(limit)
                .toList();
    }
}
