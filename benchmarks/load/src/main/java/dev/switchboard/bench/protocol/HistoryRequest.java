package dev.switchboard.bench.protocol;

/**
 * Command 28 (v2): a page of a conversation's history, newest first. Exactly one of {@code peerId},
 * {@code peerName} and {@code groupId} names the conversation; {@code beforeMessageId} (exclusive) is absent for the
 * newest page; {@code limit} is 1 to 200 (the server's default is 50).
 */
public record HistoryRequest(String peerId, String peerName, String groupId, Long beforeMessageId, Integer limit) {

    /** A page of the direct conversation with {@code peerId}. */
    public static HistoryRequest direct(String peerId, Long beforeMessageId, int limit) {
        return new HistoryRequest(peerId, null, null, beforeMessageId, limit);
    }
}
