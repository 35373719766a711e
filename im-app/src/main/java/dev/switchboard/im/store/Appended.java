package dev.switchboard.im.store;

import java.util.Map;
import java.util.Objects;

/**
 * The result of {@link MessageStore#append}.
 *
 * @param message the stored message (for a duplicate, the original one)
 * @param seqByRecipient each recipient's inbox seq for this message; unmodifiable. For a duplicate, the original
 *     seqs of the entries that are still stored.
 * @param duplicate whether this append repeated an earlier (senderId, clientMsgId) and stored nothing
 */
public record Appended(StoredMessage message, Map<String, Long> seqByRecipient, boolean duplicate) {

    public Appended {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(seqByRecipient, "seqByRecipient");
    }
}
