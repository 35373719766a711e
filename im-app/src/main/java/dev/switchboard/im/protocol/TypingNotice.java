package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 41 (v2): someone is typing in a conversation with this user: a direct one when {@code groupId} is null, else the
 * group. Pushed to online devices only; never stored.
 *
 * @param fromUserId who is typing
 * @param fromUserName their name
 * @param groupId the group they are typing in, or null for a direct conversation with the receiver
 * @param timestamp when the server forwarded it, epoch milliseconds
 */
@Command(code = 41)
public record TypingNotice(String fromUserId, String fromUserName, String groupId, long timestamp) {}
