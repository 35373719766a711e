package dev.switchboard.im.server.cluster;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The registry in Redis: which node incarnations hold devices of which users, and which incarnations are alive.
 * An incarnation is {@code NODE/EPOCH}, the epoch new at every start, so a restarted node is a new incarnation and
 * the entries of its previous life mean nothing.
 *
 * <ul>
 *   <li>{@code sb:node:NODE}: the live incarnation's epoch, expiring after the TTL unless refreshed every
 *       heartbeat: one command per node per heartbeat, however many users it holds.</li>
 *   <li>{@code sb:nodes}: a set of every incarnation registered, live or not; {@link #incarnations()} keeps the
 *       ones whose node key still holds their epoch and removes (and reports) the rest.</li>
 *   <li>{@code sb:devices:USER}: a set of the incarnations holding devices of the user, added at the user's first
 *       device on a node and removed at its last; an entry of an incarnation found dead is removed by the first
 *       lookup that meets it.</li>
 *   <li>{@code sb:inbox:NODE}: the pub/sub channel on which a node hears {@link InboxNotice}s.</li>
 *   <li>{@code sb:control:NODE}: the channel on which it hears requests to close connections (log out everywhere,
 *       a spent resume token).</li>
 * </ul>
 *
 * Every command is asynchronous on one connection (Lettuce pipelines them); none blocks the caller.
 */
final class DeviceDirectory {

    static final String NODES = "sb:nodes";

    private final RedisAsyncCommands<String, String> redis;
    private final String nodeId;
    private final String incarnation;
    private final long ttlMillis;

    DeviceDirectory(RedisAsyncCommands<String, String> redis, String nodeId, String epoch, long ttlMillis) {
        this.redis = redis;
        this.nodeId = nodeId;
        this.incarnation = nodeId + "/" + epoch;
        this.ttlMillis = ttlMillis;
    }

    static String devicesKey(String userId) {
        return "sb:devices:" + userId;
    }

    static String nodeKey(String nodeId) {
        return "sb:node:" + nodeId;
    }

    static String channel(String nodeId) {
        return "sb:inbox:" + nodeId;
    }

    /** Where a node hears requests to close connections: {@code all USER} or {@code issued USER DIGEST}. */
    static String controlChannel(String nodeId) {
        return "sb:control:" + nodeId;
    }

    /** The node of an incarnation {@code NODE/EPOCH}. */
    static String nodeOf(String incarnation) {
        int slash = incarnation.lastIndexOf('/');
        return slash < 0 ? incarnation : incarnation.substring(0, slash);
    }

    String incarnation() {
        return incarnation;
    }

    /**
     * Marks this incarnation alive for the next TTL. Completes with whether it already was: false at the first
     * heartbeat, and after Redis lost its data (a restart) or the node missed its TTL, when the caller must
     * register its users again.
     */
    CompletionStage<Boolean> heartbeat() {
        String epoch = incarnation.substring(nodeId.length() + 1);
        // The key first, then the set (one connection: Redis runs them in this order). A reader that finds this
        // incarnation in the set then finds its epoch in the key; the other way round, a reader could meet the new
        // member beside the previous start's key and take it for dead.
        RedisFuture<String> previous = redis.setGet(nodeKey(nodeId), epoch, SetArgs.Builder.px(ttlMillis));
        RedisFuture<Long> added = redis.sadd(NODES, incarnation);
        return previous.thenCombine(added, (was, ignored) -> epoch.equals(was));
    }

    /** Records that this incarnation holds devices of these users. */
    CompletionStage<Void> hold(Collection<String> userIds) {
        List<RedisFuture<?>> replies = new ArrayList<>(userIds.size());
        for (String userId : userIds) {
            replies.add(redis.sadd(devicesKey(userId), incarnation));
        }
        return allOf(replies);
    }

    /** This incarnation holds no device of this user any more. */
    CompletionStage<Void> release(String userId) {
        return redis.srem(devicesKey(userId), incarnation).thenApply(removed -> null);
    }

    /**
     * Takes this incarnation's device entries off the registry at a clean stop, and ends its life at once (a killed
     * one ends when its key expires). It stays in {@link #NODES} until another node finds it dead there, which is
     * how that node learns to take offline the users this one showed online.
     */
    CompletionStage<Void> leave(Collection<String> userIds) {
        List<RedisFuture<?>> replies = new ArrayList<>(userIds.size() + 1);
        for (String userId : userIds) {
            replies.add(redis.srem(devicesKey(userId), incarnation));
        }
        replies.add(redis.del(nodeKey(nodeId)));
        return allOf(replies);
    }

    /** What a heartbeat learnt: the incarnations alive now, and those found dead (and forgotten) on the way. */
    record Incarnations(Set<String> live, Set<String> dead) {
        static final Incarnations NONE = new Incarnations(Set.of(), Set.of());
    }

    /**
     * The incarnations alive now: registered, and their node key still holds their epoch. Those that are not (a
     * killed node's, or a restarted node's previous life) are removed from {@link #NODES} and reported dead.
     */
    CompletionStage<Incarnations> incarnations() {
        return redis.smembers(NODES).thenCompose(all -> {
            List<String> incarnations = new ArrayList<>(all);
            if (incarnations.isEmpty()) {
                return CompletableFuture.completedFuture(Incarnations.NONE);
            }
            String[] keys = incarnations.stream().map(i -> nodeKey(nodeOf(i))).toArray(String[]::new);
            return redis.mget(keys).thenApply(values -> {
                Set<String> live = new HashSet<>();
                Set<String> dead = new HashSet<>();
                for (int i = 0; i < incarnations.size(); i++) {
                    String candidate = incarnations.get(i);
                    String epoch = values.get(i).getValueOrElse(null);
                    if (epoch != null && candidate.equals(nodeOf(candidate) + "/" + epoch)) {
                        live.add(candidate);
                    } else {
                        dead.add(candidate);
                        redis.srem(NODES, candidate); // dead or replaced by a newer start: forget it
                    }
                }
                return new Incarnations(Set.copyOf(live), Set.copyOf(dead));
            });
        });
    }

    /**
     * The other nodes holding devices of these users: node id to the users it holds. A holder known to be
     * {@code dead}, or an earlier incarnation of this node, is skipped and its entry removed; any other is taken as alive, since a node that started a
     * moment ago is not yet in anyone's last heartbeat, and a notice to a node that is gone costs nothing.
     */
    CompletionStage<Map<String, List<String>>> otherNodesHolding(Collection<String> userIds, Set<String> dead) {
        Map<String, RedisFuture<Set<String>>> lookups = new HashMap<>();
        for (String userId : userIds) {
            lookups.put(userId, redis.smembers(devicesKey(userId)));
        }
        return allOf(new ArrayList<>(lookups.values())).thenApply(done -> {
            Map<String, List<String>> byNode = new HashMap<>();
            lookups.forEach((userId, reply) -> {
                for (String holder : reply.toCompletableFuture().join()) {
                    if (holder.equals(incarnation)) {
                        continue;
                    }
                    // An earlier life of this node is dead, however recently: this node is its live one. Its
                    // channel is this node's too, so a request meant for it would reach this node's connections.
                    if (dead.contains(holder) || nodeOf(holder).equals(nodeId)) {
                        redis.srem(devicesKey(userId), holder);
                        continue;
                    }
                    byNode.computeIfAbsent(nodeOf(holder), n -> new ArrayList<>()).add(userId);
                }
            });
            return byNode;
        });
    }

    /** Publishes a control request to one node. */
    CompletionStage<Long> control(String node, String request) {
        return redis.publish(controlChannel(node), request);
    }

    /** Publishes a notice to one node. */
    CompletionStage<Long> publish(String node, InboxNotice notice) {
        return redis.publish(channel(node), notice.encode());
    }

    private static CompletionStage<Void> allOf(List<? extends RedisFuture<?>> replies) {
        return CompletableFuture.allOf(replies.stream().map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new));
    }
}
