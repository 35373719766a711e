package dev.switchboard.im.server.presence;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.Service;
import dev.switchboard.im.protocol.Member;
import dev.switchboard.im.protocol.PresenceChanged;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.server.group.MemberNames;
import dev.switchboard.im.server.session.DeviceListener;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.UserStore;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 * (it is bound before it). Before the start and after the stop changes are tracked but not pushed. On a cluster,
 * {@link SharedPresence} decides which changes of this node are changes for everyone, and tells this node of the
 * others' ({@link #decided}, {@link #applyHidden}). Thread-safe.
 */
@Singleton
public final class PresenceService implements DeviceListener, Service {

    private final UserStore users;
    private final SharedPresence shared;
    private final MemberNames names;
    private final Clock clock;
    private final PresenceTracker tracker;
    private final LazyPublisher publisher;
    private volatile ExecutorService publishing;

    @Inject
    public PresenceService(UserStore users, Provider<PresencePushes> pushes, PresenceAudience audience,
            SharedPresence shared, MemberNames names, ImServerSettings settings, Clock clock) {
        this.users = users;
        this.shared = shared;
        this.names = names;
        this.clock = clock;
        // The registry tells this service about devices, and the pushes ask the registry for them: a provider
        // breaks the cycle.
        this.publisher = new LazyPublisher(pushes, audience, shared, this::publish);
        this.tracker = new PresenceTracker(settings.presenceSettle(), clock, publisher);
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

    /**
     * Stores the user's choice, then applies it here and on the other nodes holding the user's devices (at once:
     * hiding announces OFFLINE without a settle delay).
     */
    public CompletionStage<Void> setHidden(String userId, boolean hidden) {
        return users.setPresenceHidden(userId, hidden).thenRun(() -> {
            tracker.setHidden(userId, hidden);
            shared.hidden(userId, hidden);
        });
    }

    /** Another node stored the user's choice; applies it to the devices here. */
    public void applyHidden(String userId, boolean hidden) {
        tracker.setHidden(userId, hidden);
    }

    /** Whether others see the user online through this node's devices (the others' are not asked). */
    public boolean appearsOnlineHere(String userId) {
        return tracker.appearsOnline(userId);
    }

    /**
     * Which of {@code userIds} appear online to others, on any node: online and not hiding, or within the settle
     * delay. If the other nodes cannot be asked, this node's answer stands.
     */
    public CompletionStage<Set<String>> appearOnline(Collection<String> userIds) {
        Set<String> online = new HashSet<>();
        List<String> elsewhere = new ArrayList<>();
        for (String userId : userIds) {
            (tracker.appearsOnline(userId) ? online : elsewhere).add(userId);
        }
        if (elsewhere.isEmpty()) {
            return CompletableFuture.completedFuture(online);
        }
        return shared.onlineElsewhere(elsewhere).exceptionally(failure -> Set.of()).thenApply(more -> {
            online.addAll(more);
            return online;
        });
    }

    /**
     * A change another node decided for everyone, under its version, that this node announces: the user went
     * offline with a node found dead, which held their last devices.
     */
    public void decided(String userId, boolean online, long version) {
        long now = clock.millis();
        names.of(List.of(userId)).thenAccept(found -> publisher.decided(
                new PresenceChanged(new Member(userId, found.getOrDefault(userId, userId), online), now), version));
    }

    /**
     * Resolves the pushes on first use, after the injector has built the registry. Called under the tracker's lock,
     * so the publisher is created once; {@link #decided} takes the same lock.
     */
    private static final class LazyPublisher implements PresenceTracker.Listener {
        private final Provider<PresencePushes> pushes;
        private final PresenceAudience audience;
        private final SharedPresence shared;
        private final Executor executor;
        private PresencePublisher publisher;

        LazyPublisher(Provider<PresencePushes> pushes, PresenceAudience audience, SharedPresence shared,
                Executor executor) {
            this.pushes = pushes;
            this.audience = audience;
            this.shared = shared;
            this.executor = executor;
        }

        @Override
        public void changed(String userId, String userName, boolean online, long timestampMillis) {
            publisher().changed(userId, userName, online, timestampMillis);
        }

        synchronized void decided(PresenceChanged packet, long version) {
            publisher().decided(packet, version);
        }

        private synchronized PresencePublisher publisher() {
            if (publisher == null) {
                publisher = new PresencePublisher(audience, shared, pushes.get(), executor);
            }
            return publisher;
        }
    }
}
