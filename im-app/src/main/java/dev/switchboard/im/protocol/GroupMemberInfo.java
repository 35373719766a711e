package dev.switchboard.im.protocol;

/**
 * One member in a {@link GroupInfoResponse}.
 *
 * @param userId the member
 * @param userName its name
 * @param role {@code owner}, {@code admin} or {@code member}
 * @param muted whether the member is muted
 * @param online whether the member has a device logged in
 */
public record GroupMemberInfo(String userId, String userName, String role, boolean muted, boolean online) {}
