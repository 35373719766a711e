package dev.switchboard.bench.protocol;

import java.util.List;

/**
 * Command 29 (v2): the answer to a {@link HistoryRequest}; {@code messages} newest first, {@code more} if older ones
 * remain (ask again with the last one's id as {@code beforeMessageId}).
 */
public record HistoryResponse(String peerId, String groupId, List<HistoryMessage> messages, boolean more) {}
