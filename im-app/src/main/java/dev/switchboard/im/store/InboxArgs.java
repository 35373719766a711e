package dev.switchboard.im.store;

/** Argument checks shared by the {@link MessageStore} implementations, so all reject the same values. */
public final class InboxArgs {

    private InboxArgs() {
    }

    public static void checkPage(long afterSeq, int limit) {
        if (afterSeq < 0) {
            throw new IllegalArgumentException("afterSeq must be >= 0: " + afterSeq);
        }
        if (limit < 1 || limit > MessageStore.MAX_INBOX_PAGE) {
            throw new IllegalArgumentException("limit must be in 1.." + MessageStore.MAX_INBOX_PAGE + ": " + limit);
        }
    }

    public static void checkAck(long upToSeq) {
        if (upToSeq < 0) {
            throw new IllegalArgumentException("upToSeq must be >= 0: " + upToSeq);
        }
    }

    public static void checkHistory(long afterMessageId, long beforeMessageId, int limit) {
        if (afterMessageId < 0 || beforeMessageId < 0) {
            throw new IllegalArgumentException("message ids must be >= 0: " + afterMessageId + ", " + beforeMessageId);
        }
        if (limit < 1 || limit > MessageStore.MAX_HISTORY_PAGE) {
            throw new IllegalArgumentException("limit must be in 1.." + MessageStore.MAX_HISTORY_PAGE + ": " + limit);
        }
    }
}
