package dev.switchboard.framework.internal.transport;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Limits per source address: how many connections may be open at once, and how fast new ones may arrive (a token
 * bucket per address). Thread-safe. Bounded whatever addresses connect: the open counts hold only addresses with a
 * connection open (at most the server's connection limit), and the buckets live in a Caffeine cache bounded in
 * entries and forgotten a minute after the address last connected.
 */
public final class SourceLimits {

    /** What an address may do; a zero turns that limit off. */
    public record Settings(int maxOpen, int perSecond, int burst) {
        public Settings {
            if (maxOpen < 0 || perSecond < 0 || burst < 0 || (perSecond > 0 && burst < 1)) {
                throw new IllegalArgumentException("source limits must be >= 0 with a burst >= 1: " + maxOpen
                        + " open, " + perSecond + "/s, burst " + burst);
            }
        }

        public static Settings off() {
            return new Settings(0, 0, 0);
        }
    }

    /** The answer to a new connection. */
    public enum Verdict { ACCEPTED, TOO_MANY_OPEN, TOO_FAST }

    static final int MAX_TRACKED_ADDRESSES = 100_000;

    private final Settings settings;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    private final Cache<InetAddress, Bucket> buckets;
    private final TimeMeter time;

    public SourceLimits(Settings settings) {
        this(settings, System::nanoTime);
    }

    /** With a clock of nanoseconds, for tests. */
    SourceLimits(Settings settings, LongSupplier nanos) {
        this.settings = settings;
        this.time = new TickerTimeMeter(nanos);
        this.buckets = Caffeine.newBuilder().ticker(nanos::getAsLong).maximumSize(MAX_TRACKED_ADDRESSES)
                .expireAfterAccess(1, TimeUnit.MINUTES).build();
    }

    /** Decides on a new connection from {@code address}; an accepted one must be {@link #released} once closed. */
    public Verdict admit(InetAddress address) {
        if (settings.perSecond() > 0 && !bucketOf(address).tryConsume(1)) {
            return Verdict.TOO_FAST;
        }
        if (settings.maxOpen() == 0) {
            return Verdict.ACCEPTED;
        }
        boolean[] admitted = {false};
        open.compute(address, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= settings.maxOpen()) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        return admitted[0] ? Verdict.ACCEPTED : Verdict.TOO_MANY_OPEN;
    }

    /** An accepted connection from {@code address} closed. */
    public void released(InetAddress address) {
        if (settings.maxOpen() > 0) {
            open.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
        }
    }

    /** Connections open from the address, as counted here. */
    public int openFrom(InetAddress address) {
        return open.getOrDefault(address, 0);
    }

    private Bucket bucketOf(InetAddress address) {
        return buckets.get(address, key -> Bucket.builder()
                .addLimit(limit -> limit.capacity(settings.burst())
                        .refillGreedy(settings.perSecond(), Duration.ofSeconds(1)))
                .withCustomTimePrecision(time)
                .build());
    }
}
