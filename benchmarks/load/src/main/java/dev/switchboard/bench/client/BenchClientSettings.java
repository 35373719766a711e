package dev.switchboard.bench.client;

import dev.switchboard.bench.protocol.BodyFormat;
import java.time.Duration;

/**
 * How a {@link BenchClient} behaves on the wire.
 *
 * @param version protocol version byte sent in every frame
 * @param format serializer of every body sent
 * @param ackEvery send a cumulative DeliveryAck after this many deliveries
 * @param ackDelay or after this long, if fewer deliveries are unacknowledged
 * @param heartbeatInterval heartbeat period; zero sends none
 */
public record BenchClientSettings(
        int version, BodyFormat format, int ackEvery, Duration ackDelay, Duration heartbeatInterval) {

    public BenchClientSettings {
        if (version < 0 || version > 255) {
            throw new IllegalArgumentException("version outside 0..255: " + version);
        }
        if (format == null) {
            throw new IllegalArgumentException("format == null");
        }
        if (ackEvery < 1) {
            throw new IllegalArgumentException("ackEvery < 1: " + ackEvery);
        }
        if (ackDelay.isNegative() || ackDelay.isZero()) {
            throw new IllegalArgumentException("ackDelay must be positive: " + ackDelay);
        }
        if (heartbeatInterval.isNegative()) {
            throw new IllegalArgumentException("heartbeatInterval < 0: " + heartbeatInterval);
        }
    }

    /** Version 2, acks every 32 deliveries or 20 ms, heartbeats every 5 s (the server's idle timeout is 15 s). */
    public static BenchClientSettings defaults(BodyFormat format) {
        return new BenchClientSettings(2, format, 32, Duration.ofMillis(20), Duration.ofSeconds(5));
    }

    /** The same settings with another heartbeat period. */
    public BenchClientSettings withHeartbeat(Duration interval) {
        return new BenchClientSettings(version, format, ackEvery, ackDelay, interval);
    }
}
