package dev.switchboard.im.server.auth;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The failed password attempts of all the nodes of a cluster, locking sources and accounts by the rules of the
 * {@link LoginThrottle}, so that spreading guesses over the nodes behind a load balancer buys an attacker nothing.
 * Each node's own throttle still reserves every attempt before hashing, which bounds how many run at once; this
 * counts failures only, so an attempt lost with a killed node costs its source nothing. Asked after the node's own
 * throttle let an attempt through; a single node binds {@link #NONE}. When the shared counts cannot be reached,
 * attempts are judged by the node's own throttle alone.
 */
public interface SharedLoginThrottle {

    /** No other node: this node's throttle is the whole story. */
    SharedLoginThrottle NONE = new SharedLoginThrottle() {
        @Override
        public CompletionStage<Long> locked(String source, String account) {
            return CompletableFuture.completedFuture(0L);
        }

        @Override
        public void failed(String source, String account) {
        }

        @Override
        public void succeeded(String account) {
        }
    };

    /**
     * Completes with the milliseconds to wait if the source or the account is locked now, else 0 (also when that
     * cannot be known now). Counts nothing. Never blocks.
     */
    CompletionStage<Long> locked(String source, String account);

    /** A password attempt from {@code source} on {@code account} failed. Never blocks. */
    void failed(String source, String account);

    /** A password attempt on the account succeeded: its failures are cleared. Never blocks. */
    void succeeded(String account);
}
