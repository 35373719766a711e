package dev.switchboard.im.store;

import java.util.Objects;

/**
 * The result of {@link MessageStore#change}.
 *
 * @param outcome what happened
 * @param message the message after the change (CHANGED), as it was (NOT_AUTHOR, TOO_LATE, RECALLED), or null
 *     (NO_SUCH_MESSAGE)
 * @param event the appended EDIT or RECALL event; null unless CHANGED
 */
public record Changed(Outcome outcome, StoredMessage message, Appended event) {

    /** What a change did. */
    public enum Outcome {
        /** Done: the message is changed and the event appended. */
        CHANGED,
        /** No message with that id in that conversation (or it is an event, not a message). */
        NO_SUCH_MESSAGE,
        /** The message is someone else's. */
        NOT_AUTHOR,
        /** The window after sending has passed. */
        TOO_LATE,
        /** The message was recalled already: it can be neither edited nor recalled again. */
        RECALLED
    }

    public Changed {
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.CHANGED) != (event != null)) {
            throw new IllegalArgumentException("an event exactly when CHANGED: " + outcome);
        }
    }

    /** Decides whether {@code change} may apply to {@code message} (null: not found); CHANGED if it may. */
    public static Outcome check(StoredMessage message, MessageChange change) {
        if (message == null || message.kind() != EntryKind.MESSAGE) {
            return Outcome.NO_SUCH_MESSAGE;
        }
        if (!message.senderId().equals(change.userId())) {
            return Outcome.NOT_AUTHOR;
        }
        if (message.recalled()) {
            return Outcome.RECALLED;
        }
        if (change.now() - message.timestamp() > change.windowMillis()) {
            return Outcome.TOO_LATE;
        }
        return Outcome.CHANGED;
    }
}
