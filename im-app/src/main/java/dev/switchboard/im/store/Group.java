package dev.switchboard.im.store;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A snapshot of a chat group: its name, members, roles and mutes. Immutable; the {@code with...} methods return
 * changed copies (for the stores and {@link GroupCommand}).
 *
 * @param groupId stable, unique id; never reused, even after the group is deleted
 * @param name the group's name (see {@link #MAX_NAME_LENGTH}; the store does not check it)
 * @param memberIds member user ids in join order (the creator first); an immutable copy
 * @param ownerId the one owner, a member
 * @param adminIds the admins (members, never the owner); an immutable copy
 * @param mutedIds members who may not post; an immutable copy
 * @param muted whether the whole group is muted: then only the owner and admins may post
 */
public record Group(String groupId, String name, List<String> memberIds, String ownerId, Set<String> adminIds,
                    Set<String> mutedIds, boolean muted) {

    /** The longest group name, in characters; names follow the rules of user names. */
    public static final int MAX_NAME_LENGTH = 64;

    public Group {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(name, "name");
        memberIds = List.copyOf(memberIds); // free when already immutable
        Objects.requireNonNull(ownerId, "ownerId");
        adminIds = Set.copyOf(adminIds);
        mutedIds = Set.copyOf(mutedIds);
        if (adminIds.contains(ownerId)) {
            throw new IllegalArgumentException("the owner " + ownerId + " is not also an admin");
        }
    }

    /** A new group: the first member owns it, nobody is admin or muted. */
    public static Group created(String groupId, String name, List<String> memberIds) {
        return new Group(groupId, name, memberIds, memberIds.get(0), Set.of(), Set.of(), false);
    }

    /** The name a group gets when its creator gives none (also the name migrated groups got). */
    public static String defaultName(String groupId) {
        return "group " + groupId;
    }

    /** Whether {@code userId} is a member (linear in the member count). */
    public boolean hasMember(String userId) {
        return memberIds.contains(userId);
    }

    /** The member's role, or null if {@code userId} is not a member. */
    public GroupRole roleOf(String userId) {
        if (ownerId.equals(userId)) {
            return GroupRole.OWNER;
        }
        if (adminIds.contains(userId)) {
            return GroupRole.ADMIN;
        }
        return hasMember(userId) ? GroupRole.MEMBER : null;
    }

    /** Whether the member may post now: not muted itself, and the group not muted unless it manages the group. */
    public boolean maySend(String userId) {
        GroupRole role = roleOf(userId);
        if (role == null || mutedIds.contains(userId)) {
            return false;
        }
        return !muted || role.manages();
    }

    public Group withName(String newName) {
        return new Group(groupId, newName, memberIds, ownerId, adminIds, mutedIds, muted);
    }

    public Group withMuted(boolean groupMuted) {
        return new Group(groupId, name, memberIds, ownerId, adminIds, mutedIds, groupMuted);
    }

    /** With the users appended to the member list (as plain members). */
    public Group withMembersAdded(List<String> userIds) {
        List<String> members = new ArrayList<>(memberIds.size() + userIds.size());
        members.addAll(memberIds);
        members.addAll(userIds);
        return new Group(groupId, name, members, ownerId, adminIds, mutedIds, muted);
    }

    /**
     * Without the member (its role and mute dropped). If it was the owner, ownership passes to the longest-standing
     * admin, or else to the longest-standing member. Null if no member remains.
     */
    public Group withMemberRemoved(String userId) {
        List<String> members = new ArrayList<>(memberIds);
        members.remove(userId);
        if (members.isEmpty()) {
            return null;
        }
        Set<String> admins = new LinkedHashSet<>(adminIds);
        admins.remove(userId);
        Set<String> mutes = new LinkedHashSet<>(mutedIds);
        mutes.remove(userId);
        String owner = ownerId;
        if (owner.equals(userId)) {
            owner = members.stream().filter(admins::contains).findFirst().orElse(members.get(0));
            admins.remove(owner);
            mutes.remove(owner); // an owner is never muted
        }
        return new Group(groupId, name, members, owner, admins, mutes, muted);
    }

    /** With the member's role set (not to or from owner: see {@link #withOwner}). */
    public Group withRole(String userId, GroupRole role) {
        if (role == GroupRole.OWNER || ownerId.equals(userId)) {
            throw new IllegalArgumentException("use withOwner to change the owner");
        }
        Set<String> admins = new LinkedHashSet<>(adminIds);
        if (role == GroupRole.ADMIN) {
            admins.add(userId);
        } else {
            admins.remove(userId);
        }
        return new Group(groupId, name, memberIds, ownerId, admins, mutedIds, muted);
    }

    /** With {@code userId} (a member) as owner; the previous owner becomes an admin. The new owner is unmuted. */
    public Group withOwner(String userId) {
        Set<String> admins = new LinkedHashSet<>(adminIds);
        admins.remove(userId);
        admins.add(ownerId);
        Set<String> mutes = new LinkedHashSet<>(mutedIds);
        mutes.remove(userId);
        return new Group(groupId, name, memberIds, userId, admins, mutes, muted);
    }

    public Group withMemberMuted(String userId, boolean mute) {
        Set<String> mutes = new LinkedHashSet<>(mutedIds);
        if (mute) {
            mutes.add(userId);
        } else {
            mutes.remove(userId);
        }
        return new Group(groupId, name, memberIds, ownerId, adminIds, mutes, muted);
    }
}
