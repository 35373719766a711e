package dev.switchboard.framework;

import com.google.inject.Injector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The admin listener: a small HTTP/1.1 port, separate from the protocol's, for operators and tools (statistics,
 * health, drain). Off unless {@link ServerConfig#admin} is called; bound to 127.0.0.1 unless {@link #host} says
 * otherwise; with a {@link #token}, every request but the two health checks must carry
 * {@code Authorization: Bearer TOKEN}.
 *
 * <pre>{@code
 * Switchboard.server(c -> c.scan("com.example.chat")
 *         .admin(a -> a.port(9090).get("/stats", StatsEndpoint.class)));
 * }</pre>
 *
 * <p>Built in, whatever else is configured:
 * <ul>
 *   <li>{@code GET /health/live}: 200 {@code live} while the process answers at all;</li>
 *   <li>{@code GET /health/ready}: 200 {@code ready} while the server is {@link Server.State#SERVING} and every
 *       {@link ServerConfig#readinessCheck readiness check} passes, otherwise 503 {@code not ready: REASON}
 *       ({@code server is starting}, {@code server is draining}, {@code check failed: store});</li>
 *   <li>{@code POST /drain}: 202 {@code draining}, and {@link Server#drain()} begins.</li>
 * </ul>
 * The two health endpoints need no token: load balancers and supervisors often cannot send one. What they answer
 * is the state and the names of failing checks, never a check's message. The other endpoints, {@code /drain}
 * included, answer 503 while the server is {@link Server.State#STARTING}.
 *
 * <p>A request with an {@code Origin} header, which browsers add to what a web page makes them send, is refused
 * (403): a page must not drain a loopback server through the operator's browser. Tools send none. Over loopback,
 * so is a request whose {@code Host} is not {@code localhost} or a loopback address (a page that re-pointed its own
 * name at 127.0.0.1).
 *
 * <p>The protocol port answers no admin operation, so nothing an anonymous client sends there can reach one.
 * Requests are small and few by construction: request line 4 KiB, headers 8 KiB, body 8 KiB, 16 connections (a
 * 17th closes the oldest one that is not being answered, so idle or half-sent connections cannot shut out a health
 * probe; it is closed itself only while all 16 are being answered), one request at a time per connection and in
 * order (at most 16 pipelined behind it; past them the rest are dropped and the connection closes after the last
 * answer), 16 waiting for the admin thread (then 503), 30 s idle.
 */
public final class AdminConfig {

    /** Shortest token accepted: 16 characters, so a token cannot be guessed over a loopback port. */
    public static final int MIN_TOKEN_LENGTH = 16;

    static final String LIVE_PATH = "/health/live";
    static final String READY_PATH = "/health/ready";
    static final String DRAIN_PATH = "/drain";
    private static final Set<String> BUILT_IN = Set.of(LIVE_PATH, READY_PATH, DRAIN_PATH);

    String host = "127.0.0.1";
    int port = 0;
    String token; // null: no token required
    final Map<String, Function<Injector, AdminEndpoint>> endpoints = new LinkedHashMap<>(); // "GET /stats" -> ...

    AdminConfig() {}

    /** The address to bind (default 127.0.0.1: only this machine). A wildcard without a token logs a warning. */
    public AdminConfig host(String host) {
        this.host = ProtocolConfig.requireNonNull(host, "host");
        return this;
    }

    /** The port to bind; 0 (default) picks a free one, reported by {@link Server#adminPort()}. */
    public AdminConfig port(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("admin port outside 0..65535: " + port);
        }
        this.port = port;
        return this;
    }

    /** Requires {@code Authorization: Bearer TOKEN} on every request; at least {@value #MIN_TOKEN_LENGTH} chars. */
    public AdminConfig token(String token) {
        ProtocolConfig.requireNonNull(token, "token");
        if (token.length() < MIN_TOKEN_LENGTH || !token.strip().equals(token)) {
            throw new IllegalArgumentException("admin token must be at least " + MIN_TOKEN_LENGTH
                    + " characters, without surrounding spaces");
        }
        this.token = token;
        return this;
    }

    /** Answers {@code GET path} (and {@code HEAD}) with this endpoint. */
    public AdminConfig get(String path, AdminEndpoint endpoint) {
        ProtocolConfig.requireNonNull(endpoint, "endpoint");
        return add("GET", path, injector -> endpoint);
    }

    /** Answers {@code GET path} with an endpoint created by the injector. */
    public AdminConfig get(String path, Class<? extends AdminEndpoint> type) {
        ProtocolConfig.requireNonNull(type, "endpoint");
        return add("GET", path, injector -> injector.getInstance(type));
    }

    /** Answers {@code POST path} with this endpoint: for operations that change something. */
    public AdminConfig post(String path, AdminEndpoint endpoint) {
        ProtocolConfig.requireNonNull(endpoint, "endpoint");
        return add("POST", path, injector -> endpoint);
    }

    /** Answers {@code POST path} with an endpoint created by the injector. */
    public AdminConfig post(String path, Class<? extends AdminEndpoint> type) {
        ProtocolConfig.requireNonNull(type, "endpoint");
        return add("POST", path, injector -> injector.getInstance(type));
    }

    private AdminConfig add(String method, String path, Function<Injector, AdminEndpoint> endpoint) {
        ProtocolConfig.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.contains("?") || path.contains("#")) {
            throw new IllegalArgumentException("admin path must start with / and hold no query: " + path);
        }
        if (BUILT_IN.contains(path)) {
            throw new IllegalArgumentException("admin path " + path + " is built in");
        }
        if (endpoints.putIfAbsent(method + " " + path, endpoint) != null) {
            throw new IllegalArgumentException("admin endpoint " + method + " " + path + " declared twice");
        }
        return this;
    }
}
