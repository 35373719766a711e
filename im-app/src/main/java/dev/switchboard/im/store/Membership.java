package dev.switchboard.im.store;

import java.util.Objects;

/**
 * The result of {@link GroupStore#join} or {@link GroupStore#quit}.
 *
 * @param outcome what happened
 * @param group the group after the change; {@code null} exactly when the outcome is {@link Outcome#NO_SUCH_GROUP} or
 *     {@link Outcome#LEFT_AND_DELETED}
 * @param newOwnerId when the owner left, the member who owns the group now; otherwise {@code null}
 */
public record Membership(Outcome outcome, Group group, String newOwnerId) {

    /** What a join or quit did. */
    public enum Outcome {
        /** The user was added (at the end of the member list). */
        JOINED,
        /** The user was already a member; nothing changed. */
        ALREADY_MEMBER,
        /** The group has as many members as it may; nothing changed. */
        FULL,
        /** The user was removed; members remain. */
        LEFT,
        /** The user was the last member; the group no longer exists. */
        LEFT_AND_DELETED,
        /** The user was not a member; nothing changed. */
        NOT_A_MEMBER,
        /** No group has that id (or it was deleted). */
        NO_SUCH_GROUP
    }

    public Membership {
        Objects.requireNonNull(outcome, "outcome");
        boolean gone = outcome == Outcome.NO_SUCH_GROUP || outcome == Outcome.LEFT_AND_DELETED;
        if (gone != (group == null)) {
            throw new IllegalArgumentException("outcome " + outcome + (gone ? " must not carry" : " needs") + " a group");
        }
        if (newOwnerId != null && outcome != Outcome.LEFT) {
            throw new IllegalArgumentException("only a quit that leaves members hands ownership over");
        }
    }

    public Membership(Outcome outcome, Group group) {
        this(outcome, group, null);
    }
}
