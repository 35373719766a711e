package dev.switchboard.im.server.cluster;

import dev.switchboard.im.server.auth.LoginThrottle;
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
 *   <li>{@code sb:throttle:source:ADDRESS} and {@code sb:throttle:account:NAME}: the failed password attempts of
 *       every node ({@code c}) and the time before which the next is refused ({@code u}, Redis's clock in ms),
 *       forgotten an hour after their last change, locking by the rules of
 *       {@link dev.switchboard.im.server.auth.LoginThrottle}. Only failures are counted here, never reservations:
 *       a node killed mid-login would leave a reservation that nobody gives back. How many attempts run at once is
 *       bounded by each node's own throttle, which reserves before hashing.</li>
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

    /** KEYS: source, account (may be absent). The ms before the next attempt, if either is locked now; else 0. */
    private static final String CHECK = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local longest = 0
            for _, key in ipairs(KEYS) do
              local until_ = tonumber(redis.call('HGET', key, 'u') or '0')
              if until_ - now > longest then longest = until_ - now end
            end
            return longest
            """;

    /**
     * KEYS: source, account (may be absent). ARGV: free per source, first lock ms, longest lock ms, free per account,
     * account lock ms, forget ms. Counts a failed password attempt on both, locking each past its free ones.
     */
    private static final String FAILED = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local function count(key, free, lock)
              local c = redis.call('HINCRBY', key, 'c', 1)
              local until_ = 0
              if c >= free then until_ = now + lock(c) end
              redis.call('HSET', key, 'u', string.format('%d', until_))
              redis.call('PEXPIRE', key, tonumber(ARGV[6]))
            end
            local freeSource, base, longest = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
            count(KEYS[1], freeSource, function(c)
              return math.min(longest, base * 2 ^ math.min(20, c - freeSource))
            end)
            if KEYS[2] then
              count(KEYS[2], tonumber(ARGV[4]), function(c) return tonumber(ARGV[5]) end)
            end
            return 0
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

    static String sourceKey(String source) {
        return "sb:throttle:source:" + source;
    }

    static String accountKey(String account) {
        return "sb:throttle:account:" + account;
    }

    /** Whether the cluster's counts lock the source or the account now: 0, or the milliseconds to wait. */
    CompletionStage<Long> loginLocked(String source, String account) {
        RedisFuture<Long> wait = redis.eval(CHECK, ScriptOutputType.INTEGER, keys(source, account));
        return wait;
    }

    /** A password attempt failed: counted on the source and the account, for every node. */
    CompletionStage<Void> loginFailed(String source, String account) {
        RedisFuture<Long> done = redis.eval(FAILED, ScriptOutputType.INTEGER, keys(source, account),
                Integer.toString(LoginThrottle.FREE_PER_SOURCE), Long.toString(LoginThrottle.BASE_LOCK_MS),
                Long.toString(LoginThrottle.MAX_SOURCE_LOCK_MS), Integer.toString(LoginThrottle.FREE_PER_ACCOUNT),
                Long.toString(LoginThrottle.ACCOUNT_LOCK.toMillis()), Long.toString(LoginThrottle.FORGET.toMillis()));
        return done.thenApply(ignored -> null);
    }

    /** A password attempt succeeded: the account's failures are cleared (the source's stay, as on one node). */
    CompletionStage<Void> loginSucceeded(String account) {
        return redis.del(accountKey(account)).thenApply(ignored -> null);
    }

    private static String[] keys(String source, String account) {
        return account == null ? new String[] {sourceKey(source)}
                : new String[] {sourceKey(source), accountKey(account)};
    }
}
