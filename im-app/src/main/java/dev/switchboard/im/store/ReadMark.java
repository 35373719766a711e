package dev.switchboard.im.store;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link MessageStore#markRead}.
 *
 * @param readUpTo the read position after the call: never lower than before, never past the conversation's newest
 *     message
 * @param event the READ event appended because the position moved, or empty if it did not
 */
public record ReadMark(long readUpTo, Optional<Appended> event) {

    public ReadMark {
        Objects.requireNonNull(event, "event");
    }
}
