package dev.switchboard.im.server.cluster;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the nodes count together in Redis so that a limit sees every node, not only its own.
 *
 * <ul>
 *   <li>{@code sb:device-count:USER}: a hash from each incarnation holding devices of the user to how many, set to
 *       the absolute count at every change (so a write that arrives late or twice does no lasting harm: the next
 *       change, or the resync after a Redis outage, writes the truth again). A field of a dead incarnation, or of
 *       this node's earlier life, is removed by the first count that meets it.</li>
 *   <li>{@code sb:claim:KEY}: an interval claimed by one node (the typing rate limit), expiring by itself.</li>
 * </ul>
 *
 * Like the presence scripts, the count reads keys it is not given ({@code sb:node:*}): one Redis server.
 */
final class SharedLimits {

    /** ARGV: this incarnation. The devices of live incarnations of other nodes, removing the fields of dead ones. */
    private static final String ELSEWHERE = """
            local me = ARGV[1]
            local myNode = string.sub(me, 1, string.find(me, '/[^/]*$') - 1)
            local total = 0
            local entries = redis.call('HGETALL', KEYS[1])
            for i = 1, #entries, 2 do
              local holder = entries[i]
              if holder ~= me then
                local slash = string.find(holder, '/[^/]*$')
                local node = slash and string.sub(holder, 1, slash - 1)
                if node and node ~= myNode
                    and redis.call('GET', 'sb:node:' .. node) == string.sub(holder, slash + 1) then
                  total = total + tonumber(entries[i + 1])
                else
                  redis.call('HDEL', KEYS[1], holder)
                end
              end
            end
            return total
            """;

    private final RedisAsyncCommands<String, String> redis;
    private final String incarnation;

    SharedLimits(RedisAsyncCommands<String, String> redis, String incarnation) {
        this.redis = redis;
        this.incarnation = incarnation;
    }

    static String deviceCountKey(String userId) {
        return "sb:device-count:" + userId;
    }

    static String claimKey(String key) {
        return "sb:claim:" + key;
    }

    /** How many devices of the user the other nodes' live incarnations hold. */
    CompletionStage<Integer> devicesElsewhere(String userId) {
        RedisFuture<Long> total = redis.eval(ELSEWHERE, ScriptOutputType.INTEGER,
                new String[] {deviceCountKey(userId)}, incarnation);
        return total.thenApply(Long::intValue);
    }

    /** This incarnation holds {@code count} devices of the user now (0: none, and its field goes). */
    CompletionStage<Void> deviceCount(String userId, int count) {
        RedisFuture<?> reply = count > 0
                ? redis.hset(deviceCountKey(userId), incarnation, Integer.toString(count))
                : redis.hdel(deviceCountKey(userId), incarnation);
        return reply.thenApply(ignored -> null);
    }

    /** At a clean stop: this incarnation holds no device of these users any more. */
    CompletionStage<Void> clearDeviceCounts(Collection<String> userIds) {
        List<CompletableFuture<?>> replies = new ArrayList<>(userIds.size());
        for (String userId : userIds) {
            replies.add(redis.hdel(deviceCountKey(userId), incarnation).toCompletableFuture());
        }
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new));
    }

    /** Claims the key for the interval: true if no node claimed it within the interval. One command. */
    CompletionStage<Boolean> claim(String key, Duration interval) {
        RedisFuture<String> set = redis.set(claimKey(key), incarnation, SetArgs.Builder.nx().px(interval.toMillis()));
        return set.thenApply("OK"::equals);
    }
}
