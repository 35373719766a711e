package dev.switchboard.framework;

import com.google.inject.Injector;
import dev.switchboard.framework.internal.transport.SourceLimits;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/** How a {@link Server} is built; see {@link Switchboard#server}. Not thread-safe: configure, then start. */
public final class ServerConfig extends ProtocolConfig<ServerConfig> {

    String host = "0.0.0.0";
    int port = 0;
    Duration authTimeout = Duration.ofSeconds(10);
    int writeBufferLowWaterMark = 32 * 1024;
    int writeBufferHighWaterMark = 64 * 1024;
    long maxBytesAboveHighWater = 1L << 20;
    int maxConnections = 200_000;
    int framesPerSecond = 2_000;
    int frameBurst = 4_000;
    int maxConnectionsPerSource = 1_000;
    int connectionsPerSecondPerSource = 100;
    int connectionBurstPerSource = 200;
    Duration drainTimeout = Duration.ofSeconds(10);
    boolean shutdownHook = true;
    ServerTls tls; // null: plaintext
    final List<Function<Injector, ConnectionListener>> listeners = new ArrayList<>();
    AdminConfig admin; // null: no admin listener
    WebSocketConfig webSocket; // null: no WebSocket listener
    final Map<String, Function<Injector, ReadinessCheck>> readinessChecks = new LinkedHashMap<>();
    MeterRegistry metrics; // null: nothing recorded
    int latencySampling = 1; // time one request in this many

    ServerConfig() {}

    /** The address to bind (default all interfaces). */
    public ServerConfig host(String host) {
        this.host = requireNonNull(host, "host");
        return this;
    }

    /** The port to bind; 0 (default) picks a free one, reported by {@link Server#port()}. */
    public ServerConfig port(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port outside 0..65535: " + port);
        }
        this.port = port;
        return this;
    }

    /**
     * Serve TLS instead of plaintext, with this certificate (default: plaintext). See {@link ServerTls} for the
     * files accepted and what a peer that does not speak TLS gets.
     */
    public ServerConfig tls(ServerTls settings) {
        this.tls = requireNonNull(settings, "tls");
        return this;
    }

    /** Close connections not authenticated within this time (default 10 s); zero disables. */
    public ServerConfig authTimeout(Duration timeout) {
        this.authTimeout = requireNonNull(timeout, "authTimeout");
        return this;
    }

    /** Outbound buffer water marks (default 32 KiB / 64 KiB): above high the connection is not writable. */
    public ServerConfig writeBufferWaterMark(int low, int high) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("water marks need 0 <= low <= high, got " + low + ", " + high);
        }
        this.writeBufferLowWaterMark = low;
        this.writeBufferHighWaterMark = high;
        return this;
    }

    /**
     * Close a connection as soon as a write finds more than {@code bytes} (default 1 MiB, one maximum-size frame)
     * queued above the high water mark. While over the high water mark the server stops reading from it anyway, and
     * senders of bulk traffic pause ({@link Connection#isWritable()}, {@link Connection#whenWritable}), so only a
     * peer that does not read while others push to it reaches the limit.
     */
    public ServerConfig maxBytesAboveHighWater(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxBytesAboveHighWater < 0: " + bytes);
        }
        this.maxBytesAboveHighWater = bytes;
        return this;
    }

    /**
     * Limits per source IP address: connections open at once (default 1,000) and new connections per second
     * (default 100, bursts of 200); over either, a new connection is closed as soon as accepted. Generous, because
     * many users can share one address behind NAT; zero turns a limit off.
     */
    public ServerConfig connectionsPerSource(int maxOpen, int perSecond, int burst) {
        new SourceLimits.Settings(maxOpen, perSecond, burst); // validates
        this.maxConnectionsPerSource = maxOpen;
        this.connectionsPerSecondPerSource = perSecond;
        this.connectionBurstPerSource = burst;
        return this;
    }

    /**
     * Frames a connection may send per second (default 2,000, bursts of 4,000), counted whatever becomes of them
     * (refused before login, malformed, unknown): over the rate the server reads from that connection more slowly,
     * dropping nothing. On the WebSocket port every WebSocket frame counts, pings and fragments included.
     * {@code perSecond} 0 turns it off. Set it above the application's own request limits, so that it only shapes
     * floods.
     */
    public ServerConfig framesPerSecond(int perSecond, int burst) {
        if (perSecond < 0 || (perSecond > 0 && burst < 1)) {
            throw new IllegalArgumentException("framesPerSecond needs perSecond >= 0 and burst >= 1: " + perSecond
                    + ", " + burst);
        }
        this.framesPerSecond = perSecond;
        this.frameBurst = burst;
        return this;
    }

    /** Connections beyond this many are closed as soon as accepted (default 200,000). */
    public ServerConfig maxConnections(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxConnections < 1: " + max);
        }
        this.maxConnections = max;
        return this;
    }

    /**
     * The deadline of a drain ({@link Server#drain()}, {@link Server#close()}, SIGTERM), from its start (default
     * 10 s): how long requests in flight may take to finish and reply. After it the server closes the connections
     * anyway, saying so in one WARN line; closing then takes at most about a second per step.
     */
    public ServerConfig drainTimeout(Duration timeout) {
        requireNonNull(timeout, "drainTimeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout < 0: " + timeout);
        }
        this.drainTimeout = timeout;
        return this;
    }

    /**
     * Adds a condition for {@code GET /health/ready} on the admin listener: the server is ready only while serving
     * and while every check passes; a failing one is named in the answer. Checks run in the order added; see
     * {@link ReadinessCheck} for the thread and the time they may take.
     *
     * @param name how the answer and the log name it: 1 to 32 characters of {@code a-z 0-9 . _ -}, unique
     */
    public ServerConfig readinessCheck(String name, ReadinessCheck check) {
        requireNonNull(check, "check");
        return addReadinessCheck(name, injector -> check);
    }

    /** Adds a readiness check created by the injector; see {@link #readinessCheck(String, ReadinessCheck)}. */
    public ServerConfig readinessCheck(String name, Class<? extends ReadinessCheck> type) {
        requireNonNull(type, "check");
        return addReadinessCheck(name, injector -> injector.getInstance(type));
    }

    private ServerConfig addReadinessCheck(String name, Function<Injector, ReadinessCheck> check) {
        requireNonNull(name, "name");
        if (!CHECK_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("readiness check name must be 1 to 32 characters of a-z 0-9 . _ -: "
                    + name);
        }
        if (readinessChecks.putIfAbsent(name, check) != null) {
            throw new IllegalArgumentException("readiness check " + name + " added twice");
        }
        return this;
    }

    private static final Pattern CHECK_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

    /** Whether SIGTERM (a JVM shutdown hook) closes the server gracefully (default true). */
    public ServerConfig shutdownHook(boolean enabled) {
        this.shutdownHook = enabled;
        return this;
    }

    /**
     * Turns on the admin listener, a separate HTTP port for operators (off by default); see {@link AdminConfig}.
     * Calling it again adds to the same configuration.
     */
    public ServerConfig admin(Consumer<AdminConfig> configure) {
        requireNonNull(configure, "configure");
        if (admin == null) {
            admin = new AdminConfig();
        }
        configure.accept(admin);
        return this;
    }

    /**
     * Turns on the WebSocket listener, a second port speaking the same protocol to browsers (off by default), with
     * the same handlers, limits and TLS; see {@link WebSocketConfig}. Calling it again adds to the same
     * configuration.
     */
    public ServerConfig webSocket(Consumer<WebSocketConfig> configure) {
        requireNonNull(configure, "configure");
        if (webSocket == null) {
            webSocket = new WebSocketConfig();
        }
        configure.accept(webSocket);
        return this;
    }

    /**
     * Records the server's metrics in this Micrometer registry (default: none, and then nothing is measured: the
     * pipeline has no metering handlers and no clock is read per request). Connections open, opened, closed by
     * reason and refused; frames and bytes in and out; handler latency and failures per command; auth-gate
     * refusals; the outbound backlog and the business executor, all under {@code switchboard.*}; see
     * docs/operations.md for the list. The application chooses the registry (a {@code PrometheusMeterRegistry}
     * to scrape, say, served from an admin endpoint) and may add meters of its own to it. The server registers its
     * meters when it starts and removes them when it closes; give each server a registry of its own.
     */
    public ServerConfig metrics(MeterRegistry registry) {
        this.metrics = requireNonNull(registry, "metrics");
        return this;
    }

    /**
     * Times one request in {@code oneIn}, chosen at random, for the handler latency histogram (default 1: every
     * request). A timer update costs tens of nanoseconds and more when event loops update the same timer at once;
     * under heavy traffic a sample keeps the histogram's quantiles and mean while the cost falls by the factor.
     * The histogram's {@code count} is then the sample's: request rates come from {@code switchboard.frames.received},
     * which counts every frame.
     */
    public ServerConfig latencySampling(int oneIn) {
        if (oneIn < 1) {
            throw new IllegalArgumentException("latencySampling must be at least 1: " + oneIn);
        }
        this.latencySampling = oneIn;
        return this;
    }

    /** A TLS handshake must finish within the auth timeout, and within 10 s. */
    Duration handshakeTimeout() {
        Duration bound = Duration.ofSeconds(10);
        return authTimeout.isZero() || authTimeout.compareTo(bound) > 0 ? bound : authTimeout;
    }

    /** Adds a listener told of connections opening and closing. */
    public ServerConfig listener(ConnectionListener listener) {
        requireNonNull(listener, "listener");
        listeners.add(injector -> listener);
        return this;
    }

    /** Adds a listener created by the injector. */
    public ServerConfig listener(Class<? extends ConnectionListener> type) {
        requireNonNull(type, "listener");
        listeners.add(injector -> injector.getInstance(type));
        return this;
    }
}
