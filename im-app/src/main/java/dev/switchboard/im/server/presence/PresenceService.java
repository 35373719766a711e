package dev.switchboard.im.server.presence;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.Service;
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
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

/**
 * Presence in the server: feeds the {@link SessionRegistry}'s logins and logouts to the {@link PresenceTracker},
 * loads a user's stored choice to hide, stores a new one, and answers whether a user appears online. The settle
 * delay after a last logout runs on the event loop of the connection that closed (which outlives it); pushes are
 * published from one thread of its own ({@code im-presence}), started by {@link #start()} and stopped after the store
 * (it is bound before it). Before the start and after the stop changes are tracked but not pushed. Thread-safe.
 */
@Singleton
public final class PresenceService implements DeviceListener, Service {

    private final UserStore users;
    private final PresenceTracker tracker;
    private volatile ExecutorService publishing;

    @Inject
    public PresenceService(UserStore users, Provider<SessionRegistry> sessions, PresenceAudience audience,
            ImServerSettings settings, Clock clock) {
        this.users = users;
        // The registry tells this service about devices, and the publisher asks the registry for them: a provider
        // breaks the cycle.
        this.tracker = new PresenceTracker(settings.presenceSettle(), clock,
                new LazyPublisher(sessions, audience, this::publish));
    }

    @Override
    public void start() {
        publishing = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "im-presence");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void stop() {
        ExecutorService executor = publishing;
        if (executor != null) {
            executor.shutdown();
        }
    }

    private void publish(Runnable task) {
        ExecutorService executor = publishing;
        if (executor == null) {
            throw new RejectedExecutionException("presence is not started");
        }
        executor.execute(task);
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

    /**
     * Resolves the registry on first use, after the injector has built it. Called under the tracker's lock, so the
     * publisher is created once.
     */
    private static final class LazyPublisher implements PresenceTracker.Listener {
        private final Provider<SessionRegistry> sessions;
        private final PresenceAudience audience;
        private final Executor executor;
        private PresencePublisher publisher;

        LazyPublisher(Provider<SessionRegistry> sessions, PresenceAudience audience,
                Executor executor) {
            this.sessions = sessions;
            this.audience = audience;
            this.executor = executor;
        }

        @Override
        public void changed(String userId, String userName, boolean online, long timestampMillis) {
            PresencePublisher current = publisher;
            if (current == null) {
                current = new PresencePublisher(sessions.get(), audience, executor);
                publisher = current;
            }
            current.changed(userId, userName, online, timestampMillis);
        }
    }
}
