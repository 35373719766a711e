package dev.switchboard.im.store;

import java.util.Objects;

/**
 * A user's membership of a group and where it began.
 *
 * @param groupId the group
 * @param afterMessageId the last message id issued when the user joined: the user's history of the group holds
 *     only later messages (0 for members from before history was kept)
 */
public record MemberSince(String groupId, long afterMessageId) {

    public MemberSince {
        Objects.requireNonNull(groupId, "groupId");
    }
}
