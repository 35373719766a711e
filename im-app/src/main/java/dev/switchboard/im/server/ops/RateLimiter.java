package dev.switchboard.im.server.ops;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.framework.Interceptor;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.server.error.ImException;
import io.github.bucket4j.Bucket;
import dev.switchboard.framework.ConnectionAttribute;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Cost-weighted token buckets (Bucket4j) per connection and per account: a connection may spend
 * {@code messagesPerSecond} tokens a second (bursts of twice that), and an account, over all its devices, twice as
 * much. What a request costs is {@link RequestCost}'s: a member list or a large group creation costs many tokens, a
 * heartbeat or acknowledgement none. Refused requests get RATE_LIMITED and cost nothing more. Thread-safe.
 */
@Singleton
public final class RateLimiter implements Interceptor {

    private static final ConnectionAttribute<Bucket> BUCKET = ConnectionAttribute.named("im.rate");
    /** Accounts whose bucket is kept; beyond it the least recently active are forgotten (and start full again). */
    static final int MAX_ACCOUNTS = 100_000;

    private final int perSecond;
    private final Cache<Object, Bucket> accounts;

    @Inject
    public RateLimiter(ImServerSettings settings) {
        this.perSecond = settings.messagesPerSecond();
        this.accounts = Caffeine.newBuilder().maximumSize(MAX_ACCOUNTS).expireAfterAccess(Duration.ofMinutes(10))
                .build();
    }

    @Override
    public Object intercept(Invocation invocation) throws Exception {
        int cost = RequestCost.of(invocation.packet());
        if (perSecond > 0 && cost > 0) {
            Bucket connection = invocation.connection().attr(BUCKET);
            if (connection == null) {
                connection = bucket(perSecond);
                invocation.connection().attr(BUCKET, connection);
            }
            Bucket account = invocation.connection().principal()
                    .map(user -> accounts.get(user, key -> bucket(2 * perSecond))).orElse(null);
            if (!connection.tryConsume(cost)) {
                throw ImException.rateLimited();
            }
            if (account != null && !account.tryConsume(cost)) {
                connection.addTokens(cost); // not spent: the account refused it
                throw ImException.rateLimited();
            }
        }
        return invocation.proceed();
    }

    private static Bucket bucket(int perSecond) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(2L * perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)))
                .build();
    }
}
