package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 30 (v2): a page of the user's conversations, most recently active first.
 *
 * @param beforeActiveAt only conversations active before this ({@link ConversationInfo#activeAt()} of the last
 *     one on the previous page); absent for the first page
 * @param limit at most this many (1 to 200; default 50)
 */
@Command(code = 30)
public record ConversationsRequest(Long beforeActiveAt, Integer limit) {}
