package dev.switchboard.im.server.presence;

import dev.switchboard.framework.Connection;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.server.session.DeviceListener;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.UserStore;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledFuture;

/**
 * Presence in the server: feeds the {@link SessionRegistry}'s logins and logouts to the {@link PresenceTracker},
 * loads a user's stored choice to hide, stores a new one, and answers whether a user appears online. The settle
 * delay after a last logout runs on the event loop of the connection that closed (which outlives it). Thread-safe.
 */
@Singleton
public final class PresenceService implements DeviceListener {

    private final UserStore users;
    private final PresenceTracker tracker;

    @Inject
    public PresenceService(UserStore users, Provider<SessionRegistry> sessions, PresenceAudience audience,
            ImServerSettings settings, Clock clock) {
        this.users = users;
        // The registry tells this service about devices, and the publisher asks the registry for them: a provider
        // breaks the cycle. Publishing runs on the common pool: it only reads the store asynchronously and hands
        // packets to event loops.
        this.tracker = new PresenceTracker(settings.presenceSettle(), clock,
                new LazyPublisher(sessions, audience));
    }

    @Override
    public void bound(DeviceSession device) {
        String userId = device.userId();
        long load = tracker.deviceUp(userId, device.userName());
        if (load != PresenceTracker.NO_LOAD) {
            users.presenceHidden(userId).whenComplete((hidden, failure) -> {
                if (failure == null) {
                    tracker.loaded(userId, load, hidden);
                } else {
                    tracker.loadFailed(userId, load);
                }
            });
        }
    }

    @Override
    public void unbound(DeviceSession device) {
        Connection connection = device.connection();
        tracker.deviceDown(device.userId(), (delay, task) -> {
            ScheduledFuture<?> scheduled = connection.schedule(delay, task);
            return () -> scheduled.cancel(false);
        });
    }

    /** Stores the user's choice, then applies it (at once: hiding announces OFFLINE without a settle delay). */
    public CompletionStage<Void> setHidden(String userId, boolean hidden) {
        return users.setPresenceHidden(userId, hidden).thenRun(() -> tracker.setHidden(userId, hidden));
    }

    /** Whether {@code userId} appears online to others: online and not hiding, or within the settle delay. */
    public boolean appearsOnline(String userId) {
        return tracker.appearsOnline(userId);
    }

    /** Resolves the registry on first use, after the injector has built it. */
    private static final class LazyPublisher implements PresenceTracker.Listener {
        private final Provider<SessionRegistry> sessions;
        private final PresenceAudience audience;
        private volatile PresencePublisher publisher;

        LazyPublisher(Provider<SessionRegistry> sessions, PresenceAudience audience) {
            this.sessions = sessions;
            this.audience = audience;
        }

        @Override
        public void changed(String userId, String userName, boolean online, long timestampMillis) {
            PresencePublisher current = publisher;
            if (current == null) {
                current = new PresencePublisher(sessions.get(), audience, ForkJoinPool.commonPool());
                publisher = current;
            }
            current.changed(userId, userName, online, timestampMillis);
        }
    }
}
