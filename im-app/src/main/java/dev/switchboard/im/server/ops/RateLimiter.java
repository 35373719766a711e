package dev.switchboard.im.server.ops;

import dev.switchboard.framework.Interceptor;
import dev.switchboard.im.protocol.DeliveryAck;
import dev.switchboard.im.protocol.HeartBeatRequest;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.server.error.ImException;
import io.netty.util.AttributeKey;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * A token bucket per connection (rate {@code messagesPerSecond}, burst twice that), applied to every request but
 * heartbeats and acknowledgements. Refused requests get RATE_LIMITED. Runs on the event loop, so the bucket needs
 * no lock.
 */
@Singleton
public final class RateLimiter implements Interceptor {

    private static final AttributeKey<Bucket> BUCKET = AttributeKey.valueOf("im.rate");

    private final int perSecond;

    @Inject
    public RateLimiter(ImServerSettings settings) {
        this.perSecond = settings.messagesPerSecond();
    }

    @Override
    public Object intercept(Invocation invocation) throws Exception {
        Object packet = invocation.packet();
        if (perSecond > 0 && !(packet instanceof HeartBeatRequest) && !(packet instanceof DeliveryAck)) {
            Bucket bucket = invocation.connection().attr(BUCKET);
            if (bucket == null) {
                bucket = new Bucket(perSecond);
                invocation.connection().attr(BUCKET, bucket);
            }
            if (!bucket.take(System.nanoTime())) {
                throw ImException.rateLimited();
            }
        }
        return invocation.proceed();
    }

    /** Tokens refill continuously; synchronized because blocking handlers call from the business executor. */
    static final class Bucket {
        private final double perNano;
        private final double capacity;
        private double tokens;
        private long last;

        Bucket(int perSecond) {
            this.perNano = perSecond / 1e9;
            this.capacity = 2.0 * perSecond;
            this.tokens = capacity;
            this.last = System.nanoTime();
        }

        synchronized boolean take(long now) {
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
