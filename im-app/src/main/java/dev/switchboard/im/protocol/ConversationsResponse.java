package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;
import java.util.List;

/**
 * 31 (v2): the answer to a {@link ConversationsRequest}.
 *
 * @param conversations most recently active first
 * @param more whether more remain: ask again with the last one's {@code activeAt} as {@code beforeActiveAt}
 */
@Command(code = 31)
public record ConversationsResponse(List<ConversationInfo> conversations, boolean more) {}
