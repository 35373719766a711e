package dev.switchboard.im.store;

import java.util.List;
import java.util.Objects;

/**
 * The result of {@link GroupStore#change}.
 *
 * @param outcome what happened
 * @param group the group after the command (unchanged unless {@link Outcome#CHANGED}); {@code null} exactly when
 *     the outcome is {@link Outcome#NO_SUCH_GROUP}
 * @param affectedIds the users the change was about, in order: those added (not those already members), the one
 *     kicked, promoted, demoted, muted or made owner; empty for a rename or a group mute, and unless CHANGED
 */
public record GroupChange(Outcome outcome, Group group, List<String> affectedIds) {

    /** What a command did. */
    public enum Outcome {
        /** The group changed. */
        CHANGED,
        /** It was already so (same name, already admin, already muted, all already members); nothing changed. */
        UNCHANGED,
        /** No group has that id (or it was deleted). */
        NO_SUCH_GROUP,
        /** The user giving the command is not a member. */
        NOT_A_MEMBER,
        /** The user giving the command does not rank high enough for it (or for its target). */
        NOT_ALLOWED,
        /** The user the command is about is not a member. */
        NO_SUCH_MEMBER,
        /** Adding would exceed the group's size limit; nothing changed. */
        FULL
    }

    public GroupChange {
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.NO_SUCH_GROUP) != (group == null)) {
            throw new IllegalArgumentException("outcome " + outcome + " and group " + group + " do not fit");
        }
        affectedIds = List.copyOf(affectedIds);
    }

    static GroupChange refused(Outcome outcome, Group group) {
        return new GroupChange(outcome, group, List.of());
    }
}
