package dev.switchboard.im.server.session;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What this node asks of the other nodes of a cluster: to close connections that the login rules say must go, to
 * pass on what is pushed to online devices only, and what they count that a limit must see (an account's devices,
 * a rate limit's intervals). A single node binds {@link #NONE}. Best effort, like every message between nodes: when
 * Redis is away, closes and notices are missed and each limit falls back to this node's own count, which the docs
 * state as the cost of a Redis outage.
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
        public void notifyOnline(Collection<String> userIds, OnlineNotice notice) {
        }

        @Override
        public CompletionStage<Integer> devicesElsewhere(String userId) {
            return CompletableFuture.completedFuture(0);
        }

        @Override
        public CompletionStage<Void> loginStarting(String userId) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void loginEnded(String userId) {
        }

        @Override
        public CompletionStage<Boolean> claimForAll(String key, Duration interval) {
            return CompletableFuture.completedFuture(true);
        }
    };

    /** Every connection of the user on the other nodes (log out everywhere). Any thread; never blocks. */
    void closeAll(String userId);

    /**
     * The user's connections on the other nodes whose login was issued the token with this digest (spent by a login
     * here). Any thread; never blocks.
     */
    void closeIssued(String userId, String tokenDigest);

    /** The notice for those of these users' devices that are on other nodes. Any thread; never blocks. */
    void notifyOnline(Collection<String> userIds, OnlineNotice notice);

    /**
     * Makes this node known to the others as holding a device of the user before a login here is answered, so that
     * whatever another node starts after the answer (log out everywhere, closing the connection a spent token was
     * issued to, a message's notice) reaches the new device. Completes once Redis has the entry, or when it cannot
     * be reached (the login then goes on, as every message between nodes is best effort). Each call is followed by
     * one {@link #loginEnded}, once the login was bound or refused. Any thread; never blocks.
     */
    CompletionStage<Void> loginStarting(String userId);

    /** The login {@link #loginStarting} announced was bound or refused; its device holds the entry from now on. */
    void loginEnded(String userId);

    /**
     * How many devices of the account are logged in on the other nodes; 0 if that cannot be known now (the limit
     * is then this node's alone). Any thread; never blocks.
     */
    CompletionStage<Integer> devicesElsewhere(String userId);

    /**
     * Claims {@code key} for {@code interval} on every node: true unless another node (or this one) claimed it
     * within the interval; true also if that cannot be known now, the caller having checked its own count first.
     * Any thread; never blocks.
     */
    CompletionStage<Boolean> claimForAll(String key, Duration interval);
}
