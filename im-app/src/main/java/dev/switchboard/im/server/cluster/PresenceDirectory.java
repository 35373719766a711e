package dev.switchboard.im.server.cluster;

import dev.switchboard.im.server.presence.SharedPresence;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
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
 * Presence in Redis: which node incarnations show a user online, so that a node can tell a change for everyone
 * (the first node to show the user, the last to stop) from one that only moves the user between nodes.
 *
 * <ul>
 *   <li>{@code sb:online:USER}: the incarnations whose devices show the user online (their presence tracker
 *       announced ONLINE, not yet OFFLINE).</li>
 *   <li>{@code sb:online-by:INCARNATION}: the users an incarnation shows online, so that when it is found dead one
 *       node can take them offline for it ({@link #claim}).</li>
 *   <li>{@code sb:presence:USER}: the user's last announcement version, from Redis's clock in microseconds and
 *       increasing per user, so it keeps increasing across a Redis restart that lost it.</li>
 * </ul>
 *
 * Each change runs as one script, so Redis orders the changes of every node: exactly one of the nodes showing a
 * user is the last to stop. A member is counted only while its node's liveness key holds its epoch (the script
 * removes the others), so a killed node's devices stop keeping the user online once its key expires. The scripts
 * read keys they are not given ({@code sb:node:*}): one Redis server, not Redis Cluster, as the registry assumes.
 */
final class PresenceDirectory {

    /**
     * ARGV: incarnation, mode ({@code +} shows, {@code -} stops showing, {@code =} shows again after Redis lost its
     * data: no announcement), user. Returns the version to announce under, or 0.
     */
    private static final String CHANGE = """
            local me, mode, user = ARGV[1], ARGV[2], ARGV[3]
            if mode == '-' then
              redis.call('SREM', KEYS[1], me)
              redis.call('SREM', KEYS[3], user)
            else
              redis.call('SADD', KEYS[1], me)
              redis.call('SADD', KEYS[3], user)
            end
            if mode == '=' then return 0 end
            for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              if member ~= me then
                local slash = string.find(member, '/[^/]*$')
                if slash and redis.call('GET', 'sb:node:' .. string.sub(member, 1, slash - 1))
                    == string.sub(member, slash + 1) then
                  return 0
                end
                redis.call('SREM', KEYS[1], member)
              end
            end
            local time = redis.call('TIME')
            local version = math.max(tonumber(redis.call('GET', KEYS[2]) or '0') + 1,
                tonumber(time[1]) * 1000000 + tonumber(time[2]))
            redis.call('SET', KEYS[2], string.format('%d', version), 'PX', 86400000)
            return version
            """;

    /** The users a dead incarnation showed online, once: the first node to ask takes them. */
    private static final String CLAIM = """
            local users = redis.call('SMEMBERS', KEYS[1])
            redis.call('DEL', KEYS[1])
            return users
            """;

    private final RedisAsyncCommands<String, String> redis;
    private final String incarnation;
    private final String nodeId;

    PresenceDirectory(RedisAsyncCommands<String, String> redis, String incarnation) {
        this.redis = redis;
        this.incarnation = incarnation;
        this.nodeId = DeviceDirectory.nodeOf(incarnation);
    }

    static String onlineKey(String userId) {
        return "sb:online:" + userId;
    }

    static String onlineByKey(String incarnation) {
        return "sb:online-by:" + incarnation;
    }

    static String versionKey(String userId) {
        return "sb:presence:" + userId;
    }

    /** This incarnation shows the user online, or stops: the version to announce under, or UNCHANGED. */
    CompletionStage<Long> changed(String userId, boolean online) {
        return change(incarnation, online ? "+" : "-", userId);
    }

    /** After Redis lost its data: this incarnation shows these users online again, announcing nothing. */
    CompletionStage<Void> restore(Collection<String> userIds) {
        List<CompletableFuture<Long>> replies = new ArrayList<>();
        for (String userId : userIds) {
            replies.add(change(incarnation, "=", userId).toCompletableFuture());
        }
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new));
    }

    /** The users a dead incarnation showed online, if this node is the first to ask; else none. */
    CompletionStage<List<String>> claim(String deadIncarnation) {
        RedisFuture<List<String>> users = redis.eval(CLAIM, ScriptOutputType.MULTI, onlineByKey(deadIncarnation));
        return users;
    }

    /** A dead incarnation no longer shows the user: the version of their OFFLINE if no live one does, or 0. */
    CompletionStage<Long> stopShowing(String deadIncarnation, String userId) {
        return change(deadIncarnation, "-", userId);
    }

    /**
     * Which of these users another live node shows online; {@code dead} incarnations, and this node's own earlier
     * ones, are not counted.
     */
    CompletionStage<Set<String>> onlineElsewhere(Collection<String> userIds, Set<String> dead) {
        Map<String, RedisFuture<Set<String>>> lookups = new HashMap<>();
        for (String userId : userIds) {
            lookups.put(userId, redis.smembers(onlineKey(userId)));
        }
        return CompletableFuture.allOf(lookups.values().stream().map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new)).thenApply(done -> {
                    Set<String> online = new HashSet<>();
                    lookups.forEach((userId, reply) -> {
                        for (String holder : reply.toCompletableFuture().join()) {
                            if (!DeviceDirectory.nodeOf(holder).equals(nodeId) && !dead.contains(holder)) {
                                online.add(userId);
                                break;
                            }
                        }
                    });
                    return online;
                });
    }

    private CompletionStage<Long> change(String actor, String mode, String userId) {
        RedisFuture<Long> version = redis.eval(CHANGE, ScriptOutputType.INTEGER,
                new String[] {onlineKey(userId), versionKey(userId), onlineByKey(actor)}, actor, mode, userId);
        return version.thenApply(v -> v == null ? SharedPresence.UNCHANGED : v);
    }
}
