package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 40 (v2): "I am typing" in a conversation: a direct one with a user ({@code toUserId} or {@code toUserName}) or a
 * group ({@code groupId}). Never stored and never answered on success; forwarded as a {@link TypingNotice} to the
 * other participants' online devices, at most once per conversation every few seconds (more are dropped).
 *
 * @param toUserId the other user of a direct conversation
 * @param toUserName the other user's name, instead of the id
 * @param groupId the group, instead of a user
 */
@Command(code = 40)
public record TypingRequest(String toUserId, String toUserName, String groupId) {}
