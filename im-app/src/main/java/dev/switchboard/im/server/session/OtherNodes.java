package dev.switchboard.im.server.session;

import dev.switchboard.im.protocol.TypingNotice;
import java.util.List;

/**
 * Asks the other nodes of a cluster to close connections that the login rules say must go, and passes them what
 * is pushed to online devices only (typing notices): a single node binds {@link #NONE}. Best effort, like every message between nodes: a node that misses one keeps the connection until it
 * drops, which the docs state as the cost of a Redis outage.
 */
public interface OtherNodes {

    /** No other node. */
    OtherNodes NONE = new OtherNodes() {
        @Override
        public void closeAll(String userId) {
        }

        @Override
        public void closeIssued(String userId, String tokenDigest) {
        }

        @Override
        public void typing(List<String> userIds, TypingNotice notice) {
        }
    };

    /** Every connection of the user on the other nodes (log out everywhere). Any thread; never blocks. */
    void closeAll(String userId);

    /**
     * The user's connections on the other nodes whose login was issued the token with this digest (spent by a login
     * here). Any thread; never blocks.
     */
    void closeIssued(String userId, String tokenDigest);

    /** A typing notice for those of these users' devices that are on other nodes. Any thread; never blocks. */
    void typing(List<String> userIds, TypingNotice notice);
}
