package dev.switchboard.im.protocol;

/**
 * One group in a {@link MyGroupsResponse}.
 *
 * @param groupId the group
 * @param groupName its name
 * @param role your role: {@code owner}, {@code admin} or {@code member}
 * @param memberCount how many members it has
 * @param muted whether the whole group is muted
 * @param mutedMe whether you are muted in it
 */
public record GroupSummary(String groupId, String groupName, String role, int memberCount, boolean muted,
                           boolean mutedMe) {}
