package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 15: send a message to a group (members only).
 *
 * @param toGroupId the group
 * @param message the text
 * @param clientMsgId v2: the sender's id for this message, for idempotent retries
 */
@Command(code = 15)
public record GroupMessageRequest(String toGroupId, String message, String clientMsgId) {}
