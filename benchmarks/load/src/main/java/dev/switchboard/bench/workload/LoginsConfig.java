package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.BenchClientSettings;
import java.time.Duration;

/**
 * The logins run.
 *
 * @param concurrency logins in flight (each on its own connection: connect, log in, close, repeat)
 * @param sourceAddresses source addresses to rotate over (127.0.0.2, ...), since every closed client socket
 *     holds its port in TIME_WAIT for a minute
 * @param warmup fresh-user logins before measuring (their users join the pool of existing users)
 * @param phase length of each measured phase: fresh users, existing users with password, resume tokens
 * @param client wire settings
 */
public record LoginsConfig(int concurrency, int sourceAddresses, Duration warmup, Duration phase,
        BenchClientSettings client) {

    public LoginsConfig {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency < 1: " + concurrency);
        }
        if (sourceAddresses < 1 || sourceAddresses > 1000) {
            throw new IllegalArgumentException("sourceAddresses outside 1..1000: " + sourceAddresses);
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup < 0: " + warmup);
        }
        if (phase.isNegative() || phase.isZero()) {
            throw new IllegalArgumentException("phase must be positive: " + phase);
        }
    }
}
