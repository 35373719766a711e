package dev.switchboard.im.store;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of a chat group.
 *
 * @param groupId stable, unique id; never reused, even after the group is deleted
 * @param memberIds member user ids in join order (the creator first); an immutable copy
 */
public record Group(String groupId, List<String> memberIds) {

    public Group {
        Objects.requireNonNull(groupId, "groupId");
        memberIds = List.copyOf(memberIds); // free when already immutable
    }

    /** Whether {@code userId} is a member (linear in the member count). */
    public boolean hasMember(String userId) {
        return memberIds.contains(userId);
    }
}
