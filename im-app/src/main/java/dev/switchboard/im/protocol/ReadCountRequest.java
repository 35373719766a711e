package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 35 (v2): how many have read a group message. Members only.
 *
 * @param groupId the group
 * @param messageId the message
 */
@Command(code = 35)
public record ReadCountRequest(String groupId, long messageId) {}
