package dev.switchboard.im.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Chat groups and their members. Asynchronous and ordered as described in {@link Storage}. User ids are treated as
 * opaque: the store does not check that they belong to registered users.
 */
public interface GroupStore {

    /** Creates a group with the default name; see {@link #create(String, String, List)}. */
    default CompletionStage<Group> create(String creatorId, List<String> memberIds) {
        return create(creatorId, null, memberIds);
    }

    /**
     * Creates a group with the given members (creator first, duplicates removed; the creator may be listed or not).
     * The creator owns it.
     *
     * @param name the group's name; {@code null} for {@link Group#defaultName}
     */
    CompletionStage<Group> create(String creatorId, String name, List<String> memberIds);

    /** The group, or empty if it never existed or was deleted. */
    CompletionStage<Optional<Group>> find(String groupId);

    /** Adds the user at the end of the member list; idempotent ({@code ALREADY_MEMBER}); no size limit. */
    default CompletionStage<Membership> join(String groupId, String userId) {
        return join(groupId, userId, Integer.MAX_VALUE);
    }

    /**
     * Adds the user at the end of the member list unless the group already has {@code maxMembers} members
     * ({@code FULL}, nothing changed); the check and the insert are one step, so concurrent joins cannot overfill
     * a group. Idempotent ({@code ALREADY_MEMBER}, also when full).
     */
    CompletionStage<Membership> join(String groupId, String userId, int maxMembers);

    /**
     * Removes the user; a group left with no member is deleted ({@code LEFT_AND_DELETED}) and its id never reused.
     * When the owner leaves, ownership passes, in the same step, to the longest-standing admin, or if there is none
     * to the longest-standing member ({@link Membership#newOwnerId()}).
     */
    CompletionStage<Membership> quit(String groupId, String userId);

    /**
     * Checks and applies a command in one step (see {@link GroupCommand} for who may do what): no other change to
     * the group comes between the check and the write.
     */
    CompletionStage<GroupChange> change(String groupId, GroupCommand command);

    /** The groups the user belongs to, in the order the user joined them. */
    CompletionStage<List<Group>> groupsWith(String userId);

    /** Ids of the groups the user belongs to, in the order the user joined them. */
    CompletionStage<List<String>> groupsOf(String userId);

    /** The user's memberships with their join points, in the order the user joined the groups. */
    CompletionStage<List<MemberSince>> membershipsOf(String userId);

    /** Where the user's membership of the group began, or empty if the user is not a member (or no such group). */
    CompletionStage<Optional<MemberSince>> memberSince(String groupId, String userId);
}
