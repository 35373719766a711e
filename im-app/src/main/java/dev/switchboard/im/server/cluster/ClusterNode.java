package dev.switchboard.im.server.cluster;

import dev.switchboard.framework.Service;
import dev.switchboard.im.server.auth.DeviceCloser;
import dev.switchboard.im.server.chat.DeliveryService;
import dev.switchboard.im.server.chat.InboxAnnouncer;
import dev.switchboard.im.server.session.DeviceListener;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.OnlineNotice;
import dev.switchboard.im.server.session.OnlineNotices;
import dev.switchboard.im.server.session.OtherNodes;
import dev.switchboard.im.store.MessageStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as a node of a cluster: keeps its registry entries in Redis (the users it holds devices of, under
 * this start's incarnation), tells the live nodes holding a new entry's recipients about it after each commit (one
 * notice per node), hears the notices meant for it, and every {@link ClusterSettings#catchUp()} checks each local
 * user's newest seq in the store.
 *
 * <p>Per heartbeat a node costs Redis a handful of commands however many users it holds: its liveness key, and the
 * registered incarnations it checks against their nodes' keys, remembering the dead ones so that lookups skip and
 * remove their entries. Any other holder is notified, also one that started after the last heartbeat. Only if its
 * liveness key was gone (Redis restarted empty, or this node stalled past the TTL) does a node register all its
 * users again.
 *
 * <p>Redis carries hints only (see the package documentation): when it is down, publishing and refreshing fail and
 * are counted, local deliveries go on, and the catch-up delivers what other nodes stored meanwhile once the hints are
 * missed. Lettuce reconnects (and resubscribes) by itself; commands issued while it is disconnected fail at once
 * rather than queue, so nothing here grows while Redis is away.
 */
@Singleton
public final class ClusterNode implements Service, DeviceListener, InboxAnnouncer, OtherNodes {

    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_DEAD = 4_096;
    private static final int MAX_UNSYNCED = 100_000;

    private final ClusterSettings settings;
    private final Provider<DeliveryService> deliveries; // a provider: the delivery service announces through us
    private final Provider<DeviceCloser> closer; // likewise: it asks the other nodes through us
    private final Provider<OnlineNotices> onlineNotices; // and so does this
    private final Provider<ClusterPresence> presence; // and this
    private final MessageStore messages;
    private final Clock clock;
    private final String epoch = UUID.randomUUID().toString();
    /** Users with devices on this node, and how many; bounded by the connections the server accepts. */
    private final Map<String, Integer> localDevices = new ConcurrentHashMap<>();
    /** Logins of each user here between {@link #loginStarting} and {@link #loginEnded}: they hold its entry too. */
    private final Map<String, Integer> loggingIn = new ConcurrentHashMap<>();
    /**
     * Held while deciding a user's entry (add or remove) and sending the command, so that Redis, which runs one
     * connection's commands in order, gets them in the order decided: a removal decided before a login started can
     * then never land after the login's own addition.
     */
    private final Object entries = new Object();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastFailureLogged = new AtomicLong();
    /** Users whose device count in Redis may be stale (its write failed): written again after a heartbeat. */
    private final Set<String> unsynced = ConcurrentHashMap.newKeySet();
    /** More users than {@link #MAX_UNSYNCED} went stale: the next heartbeat writes every local user's count. */
    private volatile boolean resyncAll;

    private RedisClient client;
    private StatefulRedisConnection<String, String> commands;
    private StatefulRedisPubSubConnection<String, String> notices;
    private DeviceDirectory directory;
    /** Null unless running, like {@link #presenceDirectory}. */
    private volatile SharedLimits limits;
    /** Null unless running: presence changes at a stop are left to the node that finds this one dead. */
    private volatile PresenceDirectory presenceDirectory;
    private volatile ScheduledExecutorService timer;
    /** Incarnations found dead by this node's heartbeats, the newest few thousand: their entries get removed. */
    private final Set<String> dead = java.util.Collections.newSetFromMap(
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<String, Boolean>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > MAX_DEAD;
                }
            }));
    /** False before start and from the beginning of stop: device changes and requests then touch no Redis. */
    private volatile boolean running;

    @Inject
    public ClusterNode(ClusterSettings settings, Provider<DeliveryService> deliveries, Provider<DeviceCloser> closer,
            Provider<OnlineNotices> onlineNotices, Provider<ClusterPresence> presence, MessageStore messages, Clock clock) {
        this.settings = settings;
        this.deliveries = deliveries;
        this.closer = closer;
        this.onlineNotices = onlineNotices;
        this.presence = presence;
        this.messages = messages;
        this.clock = clock;
    }

    @Override
    public void start() {
        client = RedisClient.create(RedisURI.create(settings.redisUri()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        commands = client.connect();
        directory = new DeviceDirectory(commands.async(), settings.nodeId(), epoch, settings.entryTtl().toMillis());
        notices = client.connectPubSub();
        notices.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                if (channel.startsWith("sb:control:")) {
                    controlled(message);
                } else {
                    heard(message);
                }
            }
        });
        notices.sync().subscribe(DeviceDirectory.channel(settings.nodeId()),
                DeviceDirectory.controlChannel(settings.nodeId()));
        directory.heartbeat().toCompletableFuture().join(); // a node that cannot reach Redis does not start
        DeviceDirectory.Incarnations known = directory.incarnations().toCompletableFuture().join();
        dead.addAll(known.dead());
        presenceDirectory = new PresenceDirectory(commands.async(), directory.incarnation());
        limits = new SharedLimits(commands.async(), directory.incarnation());
        running = true;
        presence.get().died(known.dead());
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cluster-" + settings.nodeId());
            thread.setDaemon(true);
            return thread;
        });
        long heartbeat = settings.heartbeat().toMillis();
        timer.scheduleWithFixedDelay(() -> guarded("refresh", this::refresh), heartbeat, heartbeat,
                TimeUnit.MILLISECONDS);
        long catchUp = settings.catchUp().toMillis();
        timer.scheduleWithFixedDelay(() -> guarded("catch-up", this::catchUp), catchUp, catchUp,
                TimeUnit.MILLISECONDS);
        log.info("cluster node {} joined via {} as {} ({} live)", settings.nodeId(), settings.redisUri(),
                directory.incarnation(), known.live().size());
    }

    @Override
    public void stop() {
        running = false; // connections still closing after this must not reach a client being shut down
        presenceDirectory = null;
        if (timer != null) {
            timer.shutdownNow();
        }
        if (directory != null) {
            try {
                Set<String> users = Set.copyOf(localDevices.keySet());
                CompletableFuture.allOf(directory.leave(users).toCompletableFuture(),
                        limits.clearDeviceCounts(users).toCompletableFuture())
                        .get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) { // the entries expire by themselves
                log.debug("leaving the registry failed: {}", e.toString());
            }
        }
        if (notices != null) {
            notices.close();
        }
        if (commands != null) {
            commands.close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, COMMAND_TIMEOUT);
        }
    }

    /** Registry entries and hints that failed (Redis down or slow), since start. */
    public long failures() {
        return failures.get();
    }

    // ---- devices on this node (event loops) ----

    @Override
    public void bound(DeviceSession device) {
        synchronized (entries) {
            if (localDevices.merge(device.userId(), 1, Integer::sum) == 1) {
                redis("registering", () -> register(device.userId()));
            }
        }
        redis("counting devices", () -> syncCount(device.userId()));
    }

    @Override
    public void unbound(DeviceSession device) {
        String userId = device.userId();
        synchronized (entries) {
            if (localDevices.computeIfPresent(userId, (user, count) -> count == 1 ? null : count - 1) == null
                    && !loggingIn.containsKey(userId)) {
                redis("unregistering", () -> unregister(userId));
            }
        }
        redis("counting devices", () -> syncCount(userId));
    }

    // ---- logins on this node (the login's thread, then its event loop) ----

    @Override
    public CompletionStage<Void> loginStarting(String userId) {
        if (!running) {
            return CompletableFuture.completedFuture(null);
        }
        CompletionStage<Void> added;
        try {
            synchronized (entries) {
                loggingIn.merge(userId, 1, Integer::sum);
                // Sent even if the entry is there or on its way: this reply comes after theirs.
                added = directory.hold(List.of(userId));
            }
        } catch (RuntimeException e) {
            failed("registering", e);
            return CompletableFuture.completedFuture(null);
        }
        return added.handle((ok, error) -> {
            failed("registering", error); // Redis away: the login goes on, reachable from this node only
            return null;
        });
    }

    @Override
    public void loginEnded(String userId) {
        synchronized (entries) {
            if (loggingIn.computeIfPresent(userId, (user, count) -> count == 1 ? null : count - 1) == null
                    && !localDevices.containsKey(userId)) {
                redis("unregistering", () -> unregister(userId)); // refused, or closed before it was bound
            }
        }
    }

    /** Whether a device or a login in progress here holds the user's entry. */
    private boolean holds(String userId) {
        return localDevices.containsKey(userId) || loggingIn.containsKey(userId);
    }

    /** Writes this node's device count of the user; again if it changed meanwhile, later if the write failed. */
    private void syncCount(String userId) {
        int count = localDevices.getOrDefault(userId, 0);
        limits.deviceCount(userId, count).whenComplete((ok, error) -> {
            if (error != null) {
                failed("counting devices", error);
                if (unsynced.size() < MAX_UNSYNCED) {
                    unsynced.add(userId);
                } else {
                    resyncAll = true;
                }
            } else if (localDevices.getOrDefault(userId, 0) != count) {
                redis("counting devices", () -> syncCount(userId));
            }
        });
    }

    /** After a heartbeat: the device counts whose writes failed, or every local user's if Redis lost them all. */
    private void resyncCounts(boolean all) {
        Set<String> users = new HashSet<>(unsynced);
        unsynced.removeAll(users);
        if (all || resyncAll) {
            resyncAll = false;
            users.addAll(localDevices.keySet());
        }
        users.forEach(userId -> redis("counting devices", () -> syncCount(userId)));
    }

    /*
     * A user's first device here and the last one going may race on two event loops, and their Redis commands may
     * then reach Redis in the other order (an SADD before an SREM that was decided earlier). So each, once done,
     * checks the local state again and corrects the entry if it changed meanwhile: the last command sent always
     * matches the last local state.
     */

    private void register(String userId) {
        directory.hold(List.of(userId)).whenComplete((ok, error) -> {
            failed("registering", error);
            if (error == null) {
                afterReply(() -> {
                    synchronized (entries) {
                        if (!holds(userId)) {
                            redis("unregistering", () -> unregister(userId));
                        }
                    }
                });
            }
        });
    }

    private void unregister(String userId) {
        directory.release(userId).whenComplete((ok, error) -> {
            failed("unregistering", error);
            if (error == null) {
                afterReply(() -> {
                    synchronized (entries) {
                        if (holds(userId)) {
                            redis("registering", () -> register(userId));
                        }
                    }
                });
            }
        });
    }

    /**
     * A check after a reply, on the timer thread: never on Lettuce's own, which may complete replies while holding
     * a lock of its connection that a thread holding {@link #entries} would wait for to send.
     */
    private void afterReply(Runnable check) {
        ScheduledExecutorService on = timer;
        if (on == null) {
            return; // not started yet, or stopped
        }
        try {
            on.execute(() -> guarded("registering", check));
        } catch (RejectedExecutionException stopped) {
            // stopping: the entries go with the node
        }
    }

    // ---- after a commit (store threads) ----

    @Override
    public void announce(Map<String, Long> seqByRecipient) {
        redis("announcing", () -> announceNow(seqByRecipient));
    }

    private void announceNow(Map<String, Long> seqByRecipient) {
        toOtherNodes("notifying", seqByRecipient.keySet(), (node, users) -> {
            Map<String, Long> seqs = new HashMap<>(users.size() * 2);
            users.forEach(user -> seqs.put(user, seqByRecipient.get(user)));
            return directory.publish(node, new InboxNotice(seqs));
        });
    }

    /**
     * Looks up which other nodes hold devices of {@code userIds} and sends each of them one message, made by
     * {@code message} from the node and the users it holds. Failures are counted, never thrown.
     */
    /** Like {@link #toOtherNodes}, unless stopped; for the cluster's other parts. Any thread; never blocks. */
    void sendToOtherNodes(String what, Collection<String> userIds,
            BiFunction<String, List<String>, CompletionStage<?>> message) {
        redis(what, () -> toOtherNodes(what, userIds, message));
    }

    /** Publishes a request on one node's control channel. */
    CompletionStage<Long> control(String node, String request) {
        return directory.control(node, request);
    }

    /** The counts the nodes keep together in Redis; null unless running. */
    SharedLimits limits() {
        return running ? limits : null;
    }

    /** Where presence is kept in Redis; null unless running. */
    PresenceDirectory presenceDirectory() {
        return presenceDirectory;
    }

    /** The incarnations this node's heartbeats found dead (a live view: only ask it whether it contains one). */
    Set<String> deadIncarnations() {
        return dead;
    }

    private void toOtherNodes(String what, Collection<String> userIds,
            BiFunction<String, List<String>, CompletionStage<?>> message) {
        // The dead set itself, not a copy: this runs after every commit, and lookups only ask it contains().
        directory.otherNodesHolding(userIds, dead).whenComplete((byNode, error) -> {
            if (error != null) {
                failed(what, error);
                return;
            }
            byNode.forEach((node, users) -> redis(what, () -> message.apply(node, users)
                    .whenComplete((ignored, e) -> failed(what, e))));
        });
    }

    // ---- closing connections on other nodes (any thread) ----

    @Override
    public void closeAll(String userId) {
        controlOthers(userId, "all " + userId);
    }

    @Override
    public void closeIssued(String userId, String tokenDigest) {
        controlOthers(userId, "issued " + userId + " " + tokenDigest);
    }

    @Override
    public void notifyOnline(Collection<String> userIds, OnlineNotice notice) {
        redis("passing a notice", () -> toOtherNodes("passing a notice", userIds,
                (node, users) -> directory.control(node, OnlineNoticeCodec.encode(users, notice))));
    }

    @Override
    public CompletionStage<Integer> devicesElsewhere(String userId) {
        return unfailing("counting devices", () -> limits.devicesElsewhere(userId), 0);
    }

    @Override
    public CompletionStage<Boolean> claimForAll(String key, Duration interval) {
        return unfailing("claiming an interval", () -> limits.claim(key, interval), true);
    }

    /** A Redis question whose answer falls back to {@code otherwise} when stopped or failing (counted). */
    private <T> CompletionStage<T> unfailing(String what, Supplier<CompletionStage<T>> question,
            T otherwise) {
        if (!running) {
            return CompletableFuture.completedFuture(otherwise);
        }
        try {
            return question.get().handle((answer, error) -> {
                failed(what, error);
                return error == null ? answer : otherwise;
            });
        } catch (RuntimeException e) {
            failed(what, e);
            return CompletableFuture.completedFuture(otherwise);
        }
    }

    private void controlOthers(String userId, String request) {
        redis("asking other nodes to close connections", () -> toOtherNodes("asking other nodes to close connections",
                List.of(userId), (node, users) -> directory.control(node, request)));
    }

    // ---- notices and requests from other nodes (a Lettuce thread) ----

    /**
     * {@code all USER}, {@code issued USER DIGEST}, a presence request ({@link ClusterPresence}) or an online notice
     * ({@link OnlineNoticeCodec}); anything else is ignored (version skew, another program on the channel).
     */
    private void controlled(String request) {
        if (presence.get().controlled(request)) {
            return;
        }
        if (request.startsWith(OnlineNoticeCodec.PREFIX)) {
            OnlineNoticeCodec.decode(request)
                    .ifPresent(decoded -> onlineNotices.get().pushHere(decoded.userIds(), decoded.notice()));
            return;
        }
        String[] parts = request.split(" ", -1);
        if (parts.length == 2 && parts[0].equals("all")) {
            closer.get().closeHere(parts[1], null, null);
        } else if (parts.length == 3 && parts[0].equals("issued")) {
            closer.get().closeHere(parts[1], parts[2], null);
        }
    }

    private void heard(String message) {
        DeliveryService delivery = deliveries.get();
        InboxNotice.decode(message).seqByUser().forEach(delivery::noticed);
    }

    // ---- the timer thread ----

    private void refresh() {
        if (!running) {
            return;
        }
        directory.heartbeat().whenComplete((wasAlive, error) -> {
            if (error != null) {
                failed("refreshing the node", error);
                return;
            }
            resyncCounts(!wasAlive);
            if (!wasAlive) {
                // Redis lost our entries (restarted empty) or we stalled past the TTL: register everyone again.
                log.info("cluster node {}: registering its {} users again", settings.nodeId(), localDevices.size());
                Set<String> users = Set.copyOf(localDevices.keySet());
                Set<String> held = new HashSet<>(users);
                held.addAll(loggingIn.keySet());
                redis("registering", () -> directory.hold(held).whenComplete((ok, e) -> failed("registering", e)));
                presence.get().restore(users);
            }
        });
        directory.incarnations().whenComplete((incarnations, error) -> {
            if (error != null) {
                failed("reading the live nodes", error);
            } else {
                dead.addAll(incarnations.dead());
                // A node that stalled past its TTL and came back is the same incarnation: alive again.
                dead.removeAll(incarnations.live());
                if (!incarnations.dead().isEmpty()) {
                    presence.get().died(incarnations.dead());
                }
            }
        });
    }

    /** The backstop for lost notices: each local user's newest seq, offered to its devices. */
    private void catchUp() {
        DeliveryService delivery = deliveries.get();
        for (String userId : Set.copyOf(localDevices.keySet())) {
            messages.lastSeq(userId).whenComplete((seq, error) -> {
                if (error == null && seq != null && seq > 0) {
                    delivery.noticed(userId, seq);
                }
            });
        }
    }

    /**
     * Runs a Redis step unless stopped; a command Lettuce refuses by throwing (a client shut down, a full buffer) is
     * counted like one that fails, never thrown into an event loop or a store thread.
     */
    private void redis(String what, Runnable step) {
        if (running) {
            guarded(what, step);
        }
    }

    /** Runs a timer task; an exception would cancel its schedule for good, so it is counted instead. */
    private void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            failed(what, e);
        }
    }

    /** Counts a failure and logs at most one line every 10 s, so an outage of Redis writes little. */
    void failed(String what, Throwable error) {
        if (error == null) {
            return;
        }
        failures.incrementAndGet();
        long now = clock.millis();
        long last = lastFailureLogged.get();
        if (now - last >= 10_000 && lastFailureLogged.compareAndSet(last, now)) {
            log.warn("cluster node {}: {} failed ({} failures so far): {}", settings.nodeId(), what, failures.get(),
                    error.toString());
        }
    }
}
