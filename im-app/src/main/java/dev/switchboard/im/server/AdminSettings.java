package dev.switchboard.im.server;

import java.util.Objects;
import java.util.Optional;

/**
 * The IM server's admin listener: an HTTP port of its own for statistics ({@code GET /stats}, {@code POST /gc}),
 * Prometheus metrics ({@code GET /metrics}; metrics are recorded only when it is on), health
 * ({@code GET /health/live}, {@code GET /health/ready}) and drain ({@code POST /drain}), never the chat port.
 *
 * @param host address to bind; 127.0.0.1 keeps it on this machine
 * @param port port to bind, 0 for a free one
 * @param token the bearer token every request must carry, or empty for none
 * @param metrics whether the server records metrics and serves them at {@code /metrics}; without, the rest of the
 *        listener is unchanged and recording costs nothing (the benchmarks measure that cost this way)
 * @param latencySampling the latency histograms (handler latency, delivery lag) time one event in this many,
 *        chosen at random; 1 times every one
 */
public record AdminSettings(String host, int port, Optional<String> token, boolean metrics, int latencySampling) {

    /** One in 8: the histograms keep their shape, and timing costs an eighth (docs/benchmarks.md, metrics). */
    public static final int DEFAULT_LATENCY_SAMPLING = 8;

    public AdminSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(token, "token");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("admin port outside 0..65535: " + port);
        }
        if (latencySampling < 1) {
            throw new IllegalArgumentException("latency sampling must be at least 1: " + latencySampling);
        }
    }

    /** On 127.0.0.1 at this port, without a token, with metrics and the default latency sampling. */
    public static AdminSettings loopback(int port) {
        return new AdminSettings("127.0.0.1", port, Optional.empty(), true, DEFAULT_LATENCY_SAMPLING);
    }

    public AdminSettings withToken(String value) {
        return new AdminSettings(host, port, Optional.of(value), metrics, latencySampling);
    }

    /** The same listener without metrics: no {@code /metrics}, nothing recorded. */
    public AdminSettings withoutMetrics() {
        return new AdminSettings(host, port, token, false, latencySampling);
    }

    /** The same listener with this latency sampling (1: every event timed). */
    public AdminSettings withLatencySampling(int oneIn) {
        return new AdminSettings(host, port, token, metrics, oneIn);
    }

    /** The token is a secret: never printed. */
    @Override
    public String toString() {
        return "AdminSettings[host=" + host + ", port=" + port + ", token=" + (token.isPresent() ? "***" : "none")
                + ", metrics=" + metrics + ", latencySampling=" + latencySampling + "]";
    }
}
