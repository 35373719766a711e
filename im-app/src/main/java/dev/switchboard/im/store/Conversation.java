package dev.switchboard.im.store;

/**
 * A conversation as one participant names it: with another user (direct) or in a group. Exactly one of the two ids
 * is set.
 *
 * @param peerId the other user of a direct conversation, or {@code null}
 * @param groupId the group, or {@code null}
 */
public record Conversation(String peerId, String groupId) {

    public Conversation {
        if ((peerId == null) == (groupId == null)) {
            throw new IllegalArgumentException("a conversation has exactly one of peerId and groupId");
        }
    }

    public static Conversation direct(String peerId) {
        return new Conversation(peerId, null);
    }

    public static Conversation group(String groupId) {
        return new Conversation(null, groupId);
    }

    public boolean isGroup() {
        return groupId != null;
    }

    /**
     * The same conversation's name for both participants ({@code d:low:high} or {@code g:id}), as stored. Ids never
     * contain a colon.
     */
    public String key(String viewerId) {
        if (groupId != null) {
            return "g:" + groupId;
        }
        return viewerId.compareTo(peerId) < 0 ? "d:" + viewerId + ":" + peerId : "d:" + peerId + ":" + viewerId;
    }
}
