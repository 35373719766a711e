package dev.switchboard.im.store;

import java.util.Map;
import java.util.Objects;

/**
 * The result of {@link MessageStore#append}.
 *
 * @param message the stored message (for a duplicate, the original one)
 * @param seqByRecipient each recipient's inbox seq for this message; unmodifiable. Empty for a duplicate: it appended
 *     nothing and is not delivered again, and the original's entries may be pruned or, in the SQLite store, held in
 *     a run that only a costly search could find from the message id.
 * @param duplicate whether this append repeated an earlier (senderId, clientMsgId) and stored nothing
 */
public record Appended(StoredMessage message, Map<String, Long> seqByRecipient, boolean duplicate) {

    public Appended {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(seqByRecipient, "seqByRecipient");
        if (duplicate && !seqByRecipient.isEmpty()) {
            throw new IllegalArgumentException("a duplicate appended nothing: it has no seqs");
        }
    }

    /** The answer to an append that repeated {@code original}'s (senderId, clientMsgId). */
    public static Appended duplicateOf(StoredMessage original) {
        return new Appended(original, Map.of(), true);
    }
}
