package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 36 (v2): the answer to a {@link ReadCountRequest}.
 *
 * @param groupId the group
 * @param messageId the message
 * @param readCount users other than the asker who have read the group up to the message or further
 */
@Command(code = 36)
public record ReadCountResponse(String groupId, long messageId, int readCount) {}
