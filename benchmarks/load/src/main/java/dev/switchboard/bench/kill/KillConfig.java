package dev.switchboard.bench.kill;

import dev.switchboard.bench.client.BenchClientSettings;
import java.time.Duration;

/**
 * How a kill run goes.
 *
 * @param killEvery how long each server process runs under load before it is killed
 * @param kills stop the load after this many kills; 0 for as many as {@code duration} allows
 * @param duration the longest the load runs, kills and restarts included
 * @param drain after the load stops, the longest wait for every message to be acknowledged and delivered
 * @param window most messages per sender without a SendAck
 * @param messageSize characters per message text (at least the stamp)
 * @param loginConcurrency most first logins in flight while setting up
 * @param client wire settings of every client
 */
public record KillConfig(Duration killEvery, int kills, Duration duration, Duration drain, int window,
        int messageSize, int loginConcurrency, BenchClientSettings client) {

    public KillConfig {
        if (killEvery.isNegative() || killEvery.isZero()) {
            throw new IllegalArgumentException("killEvery must be positive: " + killEvery);
        }
        if (kills < 0) {
            throw new IllegalArgumentException("kills < 0: " + kills);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
        if (drain.isNegative()) {
            throw new IllegalArgumentException("drain < 0: " + drain);
        }
        if (window < 1) {
            throw new IllegalArgumentException("window < 1: " + window);
        }
        if (messageSize < 0 || messageSize > 512 * 1024) {
            throw new IllegalArgumentException("messageSize outside 0..524288: " + messageSize);
        }
        if (loginConcurrency < 1) {
            throw new IllegalArgumentException("loginConcurrency < 1: " + loginConcurrency);
        }
    }
}
