package dev.switchboard.bench.protocol;

import java.util.List;

/** Command 31 (v2): the answer to a {@link ConversationsRequest}; {@code more} if further pages remain. */
public record ConversationsResponse(List<ConversationInfo> conversations, boolean more) {}
