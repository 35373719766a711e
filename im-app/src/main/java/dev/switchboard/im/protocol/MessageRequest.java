package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 3: send a message to one user.
 *
 * @param toUserId the recipient's id
 * @param message the text
 * @param clientMsgId v2: the sender's id for this message; a retry with the same id is stored once
 * @param toUserName v2: the recipient's name, instead of the id
 */
@Command(code = 3)
public record MessageRequest(String toUserId, String message, String clientMsgId, String toUserName) {}
