package dev.switchboard.im.server.presence;

import dev.switchboard.im.protocol.Member;
import dev.switchboard.im.protocol.PresenceChanged;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each announcement of the {@link PresenceTracker} as a {@link PresenceChanged} to the online v2 devices
 * of the user's {@link PresenceAudience}: on a cluster, once {@link SharedPresence} says it changes the user's
 * presence for everyone, on every node.
 *
 * <p>Order: the announcements about one user are published one after another (a chain per user, each step off the
 * caller's thread on {@code executor}, which must not block: it only queues store reads and hands packets on), so
 * an audience lookup that completes late cannot let an older state overtake a newer one; a device gets them in
 * order because each is handed to its event loop in turn. Thread-safe.
 */
final class PresencePublisher implements PresenceTracker.Listener {

    private static final Logger log = LoggerFactory.getLogger(PresencePublisher.class);

    private final PresenceAudience audience;
    private final SharedPresence shared;
    private final PresencePushes pushes;
    private final Executor executor;
    // One entry per user whose announcements are being published: bounded by the users changing at once.
    private final ConcurrentHashMap<String, CompletableFuture<Void>> chains = new ConcurrentHashMap<>();

    PresencePublisher(PresenceAudience audience, SharedPresence shared, PresencePushes pushes, Executor executor) {
        this.audience = audience;
        this.shared = shared;
        this.pushes = pushes;
        this.executor = executor;
    }

    @Override
    public void changed(String userId, String userName, boolean online, long timestampMillis) {
        PresenceChanged packet = new PresenceChanged(new Member(userId, userName, online), timestampMillis);
        chain(userId, () -> shared.changed(userId, online).thenCompose(version -> version == SharedPresence.UNCHANGED
                ? CompletableFuture.completedFuture(null)
                : publish(packet, version)));
    }

    /** An announcement decided elsewhere (a node found dead held the user's last devices), under its version. */
    void decided(PresenceChanged packet, long version) {
        chain(packet.user().userId(), () -> publish(packet, version));
    }

    private void chain(String userId, Supplier<CompletionStage<Void>> step) {
        // A step that failed (the executor refused it at shutdown) must not stop the user's later ones.
        CompletableFuture<Void> tail = chains.compute(userId, (id, previous) ->
                (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous.exceptionally(e -> null))
                        .thenComposeAsync(ignored -> unfailing(userId, step), executor));
        tail.whenComplete((ignored, failure) -> chains.remove(userId, tail));
    }

    /** The step, whose failure is logged and ends there: the store or Redis did not answer. */
    private static CompletionStage<Void> unfailing(String userId, Supplier<CompletionStage<Void>> step) {
        CompletionStage<Void> done;
        try {
            done = step.get();
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.exceptionally(failure -> {
            // This change goes unannounced; a query still tells the truth.
            log.warn("Presence of {} not announced: {}", userId, failure.toString());
            return null;
        });
    }

    private CompletionStage<Void> publish(PresenceChanged packet, long version) {
        return audience.of(packet.user().userId()).thenAccept(users -> {
            pushes.pushHere(users, packet, version);
            shared.publish(users, packet, version);
        });
    }
}
