package dev.switchboard.im.server.presence;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.switchboard.im.server.session.OtherNodes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * How often typing notices are forwarded: at most once per {@link #INTERVAL} per (sender account, conversation),
 * over all the sender's devices on every node; the rest are dropped without a reply (a typing notice is ephemeral,
 * and the next keystroke after the interval sends a fresh one). So a keystroke in a 5,000-member group costs a
 * lookup here, and a fan-out only every {@link #INTERVAL}. This node's count comes first, so a keystroke it drops
 * costs nothing more; one it lets through is claimed on the other nodes too ({@link OtherNodes#claimForAll}: one
 * Redis command in a cluster, which lets it through if Redis cannot answer). Remembers at most
 * {@link #MAX_ENTRIES} pairs; forgetting one early only lets one more notice through. Thread-safe.
 */
@Singleton
public final class TypingGate {

    /** The shortest time between two typing notices forwarded for one sender and conversation. */
    public static final Duration INTERVAL = Duration.ofSeconds(2);
    static final int MAX_ENTRIES = 100_000;

    private static final CompletionStage<Boolean> DROPPED = CompletableFuture.completedFuture(false);

    private final Cache<String, Boolean> recent;
    private final OtherNodes otherNodes;

    @Inject
    public TypingGate(Clock clock, OtherNodes otherNodes) {
        this.otherNodes = otherNodes;
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        this.recent = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(INTERVAL).ticker(ticker)
                .build();
    }

    /** Whether a notice from this sender to this conversation was forwarded within the interval (then drop it). */
    public boolean recentlyForwarded(String senderId, String conversation) {
        return recent.getIfPresent(key(senderId, conversation)) != null;
    }

    /**
     * Claims the interval for a notice about to be forwarded, here and on the other nodes; completes false if
     * another notice claimed it first (then drop this one).
     */
    public CompletionStage<Boolean> tryForward(String senderId, String conversation) {
        String key = key(senderId, conversation);
        if (recent.asMap().putIfAbsent(key, Boolean.TRUE) != null) {
            return DROPPED;
        }
        return otherNodes.claimForAll("typing:" + key, INTERVAL);
    }

    private static String key(String senderId, String conversation) {
        return senderId + '/' + conversation;
    }
}
