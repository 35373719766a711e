package dev.switchboard.im.store;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A change to a group that depends on who asks: {@link GroupStore#change} checks and applies it in one step, so
 * that no other change to the group comes between the check ("only an admin may kick") and the write.
 *
 * <p>Who may do what, by role ({@link GroupRole}): renaming, adding members and muting the whole group need an
 * admin or the owner; kicking and muting a member need an admin or the owner who outranks the target (an admin
 * cannot kick or mute another admin or the owner); promoting and demoting admins and transferring ownership need the
 * owner. Nobody kicks, mutes, promotes or demotes themselves.
 */
public sealed interface GroupCommand {

    /** The member giving the command. */
    String actorId();

    /**
     * What the command does to {@code group}: the result, with the group after it. Pure; the stores persist the
     * difference.
     */
    GroupChange applyTo(Group group);

    /** Renames the group. */
    record Rename(String actorId, String name) implements GroupCommand {
        public Rename {
            Objects.requireNonNull(actorId, "actorId");
            Objects.requireNonNull(name, "name");
        }

        @Override
        public GroupChange applyTo(Group group) {
            GroupChange refused = needs(group, actorId, GroupRole.ADMIN);
            if (refused != null) {
                return refused;
            }
            if (group.name().equals(name)) {
                return GroupChange.refused(GroupChange.Outcome.UNCHANGED, group);
            }
            return new GroupChange(GroupChange.Outcome.CHANGED, group.withName(name), List.of());
        }
    }

    /** Adds users at the end of the member list, unless the group would then have more than {@code maxMembers}. */
    record Add(String actorId, List<String> userIds, int maxMembers) implements GroupCommand {
        public Add {
            Objects.requireNonNull(actorId, "actorId");
            userIds = List.copyOf(userIds);
        }

        @Override
        public GroupChange applyTo(Group group) {
            GroupChange refused = needs(group, actorId, GroupRole.ADMIN);
            if (refused != null) {
                return refused;
            }
            List<String> added = new ArrayList<>();
            for (String userId : new LinkedHashSet<>(userIds)) {
                if (!group.hasMember(userId)) {
                    added.add(userId);
                }
            }
            if (added.isEmpty()) {
                return GroupChange.refused(GroupChange.Outcome.UNCHANGED, group);
            }
            if (group.memberIds().size() + added.size() > maxMembers) {
                return GroupChange.refused(GroupChange.Outcome.FULL, group);
            }
            return new GroupChange(GroupChange.Outcome.CHANGED, group.withMembersAdded(added), added);
        }
    }

    /** Removes a member who ranks below the actor. */
    record Kick(String actorId, String userId) implements GroupCommand {
        public Kick {
            Objects.requireNonNull(actorId, "actorId");
            Objects.requireNonNull(userId, "userId");
        }

        @Override
        public GroupChange applyTo(Group group) {
            GroupChange refused = outranks(group, actorId, userId, GroupRole.ADMIN);
            if (refused != null) {
                return refused;
            }
            return new GroupChange(GroupChange.Outcome.CHANGED, group.withMemberRemoved(userId), List.of(userId));
        }
    }

    /** Makes a member an admin ({@link GroupRole#ADMIN}) or a plain member again ({@link GroupRole#MEMBER}). */
    record SetRole(String actorId, String userId, GroupRole role) implements GroupCommand {
        public SetRole {
            Objects.requireNonNull(actorId, "actorId");
            Objects.requireNonNull(userId, "userId");
            if (role != GroupRole.ADMIN && role != GroupRole.MEMBER) {
                throw new IllegalArgumentException("a role is set to ADMIN or MEMBER, not " + role);
            }
        }

        @Override
        public GroupChange applyTo(Group group) {
            GroupChange refused = outranks(group, actorId, userId, GroupRole.OWNER);
            if (refused != null) {
                return refused;
            }
            if (group.roleOf(userId) == role) {
                return GroupChange.refused(GroupChange.Outcome.UNCHANGED, group);
            }
            return new GroupChange(GroupChange.Outcome.CHANGED, group.withRole(userId, role), List.of(userId));
        }
    }

    /** Mutes or unmutes a member who ranks below the actor. */
    record MuteMember(String actorId, String userId, boolean muted) implements GroupCommand {
        public MuteMember {
            Objects.requireNonNull(actorId, "actorId");
            Objects.requireNonNull(userId, "userId");
        }

        @Override
        public GroupChange applyTo(Group group) {
            GroupChange refused = outranks(group, actorId, userId, GroupRole.ADMIN);
            if (refused != null) {
                return refused;
            }
            if (group.mutedIds().contains(userId) == muted) {
                return GroupChange.refused(GroupChange.Outcome.UNCHANGED, group);
            }
            return new GroupChange(GroupChange.Outcome.CHANGED, group.withMemberMuted(userId, muted),
                    List.of(userId));
        }
    }

    /** Mutes or unmutes the whole group: while muted, only the owner and admins may post. */
    record MuteGroup(String actorId, boolean muted) implements GroupCommand {
        public MuteGroup {
            Objects.requireNonNull(actorId, "actorId");
        }

        @Override
        public GroupChange applyTo(Group group) {
            GroupChange refused = needs(group, actorId, GroupRole.ADMIN);
            if (refused != null) {
                return refused;
            }
            if (group.muted() == muted) {
                return GroupChange.refused(GroupChange.Outcome.UNCHANGED, group);
            }
            return new GroupChange(GroupChange.Outcome.CHANGED, group.withMuted(muted), List.of());
        }
    }

    /** Hands ownership to another member; the previous owner becomes an admin. */
    record Transfer(String actorId, String userId) implements GroupCommand {
        public Transfer {
            Objects.requireNonNull(actorId, "actorId");
            Objects.requireNonNull(userId, "userId");
        }

        @Override
        public GroupChange applyTo(Group group) {
            GroupChange refused = outranks(group, actorId, userId, GroupRole.OWNER);
            if (refused != null) {
                return refused;
            }
            return new GroupChange(GroupChange.Outcome.CHANGED, group.withOwner(userId), List.of(userId));
        }
    }

    /** Null if the actor is a member with at least {@code role}; else the refusal. */
    private static GroupChange needs(Group group, String actorId, GroupRole role) {
        GroupRole actor = group.roleOf(actorId);
        if (actor == null) {
            return GroupChange.refused(GroupChange.Outcome.NOT_A_MEMBER, group);
        }
        if (actor.rank() < role.rank()) {
            return GroupChange.refused(GroupChange.Outcome.NOT_ALLOWED, group);
        }
        return null;
    }

    /** Like {@link #needs}, and the target must be a member ranking below the actor (so never the actor). */
    private static GroupChange outranks(Group group, String actorId, String targetId, GroupRole role) {
        GroupChange refused = needs(group, actorId, role);
        if (refused != null) {
            return refused;
        }
        GroupRole target = group.roleOf(targetId);
        if (target == null) {
            return GroupChange.refused(GroupChange.Outcome.NO_SUCH_MEMBER, group);
        }
        if (target.rank() >= group.roleOf(actorId).rank()) {
            return GroupChange.refused(GroupChange.Outcome.NOT_ALLOWED, group);
        }
        return null;
    }
}
