package dev.switchboard.im.server.presence;

import dev.switchboard.im.protocol.Member;
import dev.switchboard.im.protocol.PresenceChanged;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.SessionRegistry;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes each announcement of the {@link PresenceTracker} as a {@link PresenceChanged} to the online v2 devices of
 * the user's {@link PresenceAudience}.
 *
 * <p>Order: the announcements about one user are published one after another (a chain per user, each step off the
 * caller's thread on {@code executor}, which must not block: it only queues store reads and hands packets on), so an audience lookup that completes late cannot let an older state
 * overtake a newer one; a device gets them in order because each is handed to its event loop in turn. Only
 * devices still logged in and writable get one (a notice is not stored, as for a device offline; queueing it
 * would let a flapping user close a slow reader). Thread-safe.
 */
final class PresencePublisher implements PresenceTracker.Listener {

    private static final Logger log = LoggerFactory.getLogger(PresencePublisher.class);

    private final SessionRegistry sessions;
    private final PresenceAudience audience;
    private final Executor executor;
    // One entry per user whose announcements are being published: bounded by the users changing at once.
    private final ConcurrentHashMap<String, CompletableFuture<Void>> chains = new ConcurrentHashMap<>();

    PresencePublisher(SessionRegistry sessions, PresenceAudience audience, Executor executor) {
        this.sessions = sessions;
        this.audience = audience;
        this.executor = executor;
    }

    @Override
    public void changed(String userId, String userName, boolean online, long timestampMillis) {
        PresenceChanged packet = new PresenceChanged(new Member(userId, userName, online), timestampMillis);
        // A step that failed (the executor refused it at shutdown) must not stop the user's later ones.
        CompletableFuture<Void> tail = chains.compute(userId, (id, previous) ->
                (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous.exceptionally(e -> null))
                        .thenComposeAsync(ignored -> publish(userId, packet), executor));
        tail.whenComplete((ignored, failure) -> chains.remove(userId, tail));
    }

    private CompletableFuture<Void> publish(String userId, PresenceChanged packet) {
        CompletionStage<Set<String>> told = audience.of(userId);
        return told.thenAccept(users -> {
            for (String user : users) {
                for (DeviceSession device : sessions.devices(user)) {
                    if (device.v2()) {
                        device.connection().execute(() -> {
                            if (device.bound() && device.connection().isWritable()) {
                                device.post(packet);
                            }
                        });
                    }
                }
            }
        }).exceptionally(failure -> {
            // The store failed to answer: this change goes unannounced (a query still tells the truth).
            log.warn("Presence of {} not announced: {}", userId, failure.toString());
            return null;
        }).toCompletableFuture();
    }
}
