package dev.switchboard.im.server.cluster;

import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * The registry in Redis: which nodes hold devices of which users, and which nodes are alive.
 *
 * <ul>
 *   <li>{@code sb:devices:USER}: a sorted set of node ids, each scored with the time (epoch ms) its entry expires;
 *       a node refreshes the entries of its users every heartbeat, and readers ignore expired scores, so a killed
 *       node's entries stop counting after the TTL whatever Redis does with the key.</li>
 *   <li>{@code sb:node:NODE}: the node's epoch (a value new at every start), expiring after the TTL: which nodes are
 *       alive, for operators.</li>
 *   <li>{@code sb:inbox:NODE}: the pub/sub channel on which a node hears {@link InboxNotice}s.</li>
 * </ul>
 *
 * Every command is asynchronous on one connection (Lettuce pipelines them); none blocks the caller.
 */
final class DeviceDirectory {

    private final RedisAsyncCommands<String, String> redis;
    private final String nodeId;
    private final long ttlMillis;
    private final LongSupplier clock;

    DeviceDirectory(RedisAsyncCommands<String, String> redis, String nodeId, long ttlMillis, LongSupplier clock) {
        this.redis = redis;
        this.nodeId = nodeId;
        this.ttlMillis = ttlMillis;
        this.clock = clock;
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

    /** Records that this node holds devices of these users, for the next TTL. */
    CompletionStage<Void> hold(Collection<String> userIds) {
        long expires = clock.getAsLong() + ttlMillis;
        List<RedisFuture<?>> replies = new ArrayList<>(userIds.size() * 2);
        for (String userId : userIds) {
            String key = devicesKey(userId);
            replies.add(redis.zadd(key, (double) expires, nodeId));
            replies.add(redis.pexpire(key, ttlMillis)); // the key goes too once no node refreshes it
        }
        return allOf(replies);
    }

    /** This node holds no device of this user any more. */
    CompletionStage<Void> release(String userId) {
        return redis.zrem(devicesKey(userId), nodeId).thenApply(removed -> null);
    }

    /** Marks this node alive with its epoch, for the next TTL. */
    CompletionStage<Void> alive(String epoch) {
        return redis.set(nodeKey(nodeId), epoch, SetArgs.Builder.px(ttlMillis)).thenApply(ok -> null);
    }

    /** Takes this node off the registry at a clean stop (a killed node's entries expire instead). */
    CompletionStage<Void> leave(Collection<String> userIds) {
        List<RedisFuture<?>> replies = new ArrayList<>(userIds.size() + 1);
        for (String userId : userIds) {
            replies.add(redis.zrem(devicesKey(userId), nodeId));
        }
        replies.add(redis.del(nodeKey(nodeId)));
        return allOf(replies);
    }

    /** The other nodes holding live entries for these users: node id to the users it holds. */
    CompletionStage<Map<String, List<String>>> otherNodesHolding(Collection<String> userIds) {
        double now = clock.getAsLong();
        Map<String, RedisFuture<List<String>>> lookups = new HashMap<>();
        for (String userId : userIds) {
            lookups.put(userId, redis.zrangebyscore(devicesKey(userId), Range.create(now, Double.POSITIVE_INFINITY)));
        }
        return allOf(new ArrayList<>(lookups.values())).thenApply(done -> {
            Map<String, List<String>> byNode = new HashMap<>();
            lookups.forEach((userId, reply) -> {
                for (String node : reply.toCompletableFuture().join()) {
                    if (!node.equals(nodeId)) {
                        byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(userId);
                    }
                }
            });
            return byNode;
        });
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
