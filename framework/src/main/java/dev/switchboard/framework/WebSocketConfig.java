package dev.switchboard.framework;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The WebSocket listener: a second port on which browsers (and any WebSocket client) speak the same protocol as
 * over TCP. Off unless {@link ServerConfig#webSocket} is called.
 *
 * <pre>{@code
 * Switchboard.server(c -> c.scan("com.example.chat").port(8000)
 *         .webSocket(ws -> ws.port(8080).path("/ws").allowOrigin("https://chat.example.com").staticFiles("web")));
 * }</pre>
 *
 * <p>Each <em>binary</em> WebSocket message carries exactly one protocol frame, header and body as over TCP, and
 * each packet the server writes goes out as one binary message. After the handshake the connection runs the same
 * pipeline as a TCP one from the frame decoder on: handlers, the auth gate and its timeout, the frame limit and
 * frame rate, idle rules, heartbeats, metrics and the drain. The connection limits (in all and per source address)
 * count every socket accepted on either port. With {@link ServerConfig#tls TLS} configured, this port serves TLS
 * too ({@code wss://}, {@code https://}).
 *
 * <p>What a peer gets for bad input (one log line per connection at most, as over TCP):
 * <ul>
 *   <li>a text message: close code 1003 (unsupported data);</li>
 *   <li>a message, or a sequence of fragments, longer than one maximum frame (header plus
 *       {@link ProtocolConfig#maxBodyLength}): 1009 (message too big), before the excess is buffered;</li>
 *   <li>a binary message that is not exactly one well-formed frame (bad header, too short, a body shorter or
 *       longer than its header says, two frames in one message) or a WebSocket protocol violation (an unmasked
 *       frame, a bad continuation): 1002 (protocol error). A well-framed packet whose body cannot be decoded is not
 *       a close: it is answered by the {@link ErrorHandler}, as over TCP;</li>
 *   <li>the server closing for its own reasons: 1000 (normal) for the application's close and idleness, 1001
 *       (going away) when the server drains, 1008 (policy violation) for the auth timeout, 1011 for an unexpected
 *       error.</li>
 * </ul>
 * WebSocket pings are answered with pongs, but do not count as activity for the reader-idle timeout, which counts
 * whole protocol frames only: a client keeps its connection with the protocol's own heartbeat.
 *
 * <p><b>Origins.</b> A handshake whose {@code Origin} header is not allowed is refused with HTTP 403. Allowed are
 * the origins given to {@link #allowOrigin}, and by default the listener's own origin (the page was served by this
 * listener: {@code http://} or {@code https://} plus the request's {@code Host}); see {@link #allowSameOrigin}.
 * On a connection to a loopback address the own origin counts only when the {@code Host} is {@code localhost},
 * {@code 127.x.x.x} or {@code [::1]}: a page of a site that re-points its name at 127.0.0.1 (DNS rebinding) sends
 * that name as both, and would otherwise pass. A reverse proxy on the same machine that forwards the public name
 * as the {@code Host} therefore needs that origin given to {@link #allowOrigin}.
 * A handshake without an {@code Origin} header comes from a program, not a browser (browsers always send one),
 * and is accepted unless {@link #allowMissingOrigin allowMissingOrigin(false)}: such a client could send any
 * origin it likes, so refusing it protects nobody. {@code Origin: null} (a sandboxed page, a file) is refused.
 * The check protects browser users from pages of other sites that would use their browser to connect; the
 * framework gives the protocol no cookies or other ambient credentials, so a connection gains only what it logs in
 * to.
 *
 * <p><b>Static files.</b> With {@link #staticFiles}, a {@code GET} or {@code HEAD} of any other path serves a file
 * of the application's classpath; see there.
 */
public final class WebSocketConfig {

    /** The WebSocket path unless {@link #path} says otherwise. */
    public static final String DEFAULT_PATH = "/ws";

    String host; // null: the server's host
    int port = 0;
    String path = DEFAULT_PATH;
    final Set<String> origins = new LinkedHashSet<>();
    boolean sameOrigin = true;
    boolean missingOrigin = true;
    String staticRoot; // null: no static files, every other request is a 404

    WebSocketConfig() {}

    /** The address to bind (default: the server's {@link ServerConfig#host host}). */
    public WebSocketConfig host(String host) {
        this.host = ProtocolConfig.requireNonNull(host, "host");
        return this;
    }

    /** The port to bind; 0 (default) picks a free one, reported by {@link Server#webSocketPort()}. */
    public WebSocketConfig port(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("WebSocket port outside 0..65535: " + port);
        }
        this.port = port;
        return this;
    }

    /**
     * The path of the WebSocket endpoint (default {@value #DEFAULT_PATH}), matched exactly (no query string): a
     * handshake on another path is served as a static file request, and fails.
     */
    public WebSocketConfig path(String path) {
        ProtocolConfig.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.length() > 256 || !path.chars().allMatch(WebSocketConfig::pathChar)) {
            throw new IllegalArgumentException("WebSocket path must start with / and hold only letters, digits and"
                    + " - . _ ~ / (at most 256): " + path);
        }
        this.path = path;
        return this;
    }

    private static boolean pathChar(int c) {
        return c < 128 && (Character.isLetterOrDigit(c) || "-._~/".indexOf(c) >= 0);
    }

    /**
     * Allows handshakes from pages of this origin: {@code scheme://host[:port]}, with scheme {@code http} or
     * {@code https} and nothing after the port, such as {@code https://chat.example.com} or
     * {@code http://localhost:5173}. Compared without regard to case, with the scheme's default port left out as
     * browsers do. No wildcards. May be called again to allow more.
     *
     * @throws IllegalArgumentException naming the value when it is not such an origin
     */
    public WebSocketConfig allowOrigin(String origin) {
        origins.add(normalizeOrigin(ProtocolConfig.requireNonNull(origin, "origin")));
        return this;
    }

    /**
     * Whether a handshake from the listener's own origin is allowed (default true): {@code Origin} equal to
     * {@code http://} (or {@code https://} with TLS) plus the request's {@code Host} header, which is what a page
     * served by this listener's {@link #staticFiles} sends. Over loopback only under a loopback {@code Host}
     * name (see the class description).
     */
    public WebSocketConfig allowSameOrigin(boolean allowed) {
        this.sameOrigin = allowed;
        return this;
    }

    /**
     * Whether a handshake without an {@code Origin} header is accepted (default true): it comes from a program,
     * which could send any origin, not from a browser.
     */
    public WebSocketConfig allowMissingOrigin(boolean allowed) {
        this.missingOrigin = allowed;
        return this;
    }

    /**
     * Serves the files found under this classpath directory (such as {@code "web"} for {@code src/main/resources/web/})
     * to {@code GET} and {@code HEAD} requests of any path but the WebSocket one: {@code /} and every path ending in
     * {@code /} serve that directory's {@code index.html}. The files are read once, by {@link Server#start()}
     * (which fails when there are none, or more than 32 MiB), and served from memory, so a request never touches the
     * disk and no path can reach anything else; a changed file takes a restart.
     *
     * <p>Answers: the file with its {@code Content-Type} ({@code .html}, {@code .css}, {@code .js} and {@code .mjs}
     * as {@code text/javascript}, {@code .json}, {@code .svg}, {@code .png}, {@code .ico}, {@code .txt},
     * {@code .webmanifest}, {@code .woff2}; anything else {@code application/octet-stream}), an {@code ETag},
     * {@code Cache-Control: no-cache} (a browser revalidates, and gets 304 while the file is unchanged),
     * {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer} and a
     * {@code Content-Security-Policy} that allows scripts, styles, images and fonts from the page's own origin only
     * (no inline script or style), WebSocket connections to it, and no framing. 404 for a path with no file, 400 for
     * a path with {@code ..}, a backslash or a bad escape, 405 for methods other than {@code GET} and
     * {@code HEAD}. Requests are small: line 4 KiB, headers 8 KiB, body 8 KiB.
     *
     * @param classpathRoot a relative directory of the classpath, such as {@code "web"} or {@code "com/example/site"}
     */
    public WebSocketConfig staticFiles(String classpathRoot) {
        ProtocolConfig.requireNonNull(classpathRoot, "classpathRoot");
        String root = classpathRoot.endsWith("/") ? classpathRoot.substring(0, classpathRoot.length() - 1)
                : classpathRoot;
        if (root.isEmpty() || root.startsWith("/") || root.contains("\\") || root.contains("//")
                || ("/" + root + "/").contains("/../") || ("/" + root + "/").contains("/./")) {
            throw new IllegalArgumentException("static files need a relative classpath directory such as \"web\": "
                    + classpathRoot);
        }
        this.staticRoot = root;
        return this;
    }

    private static IllegalArgumentException notAnOrigin(String origin) {
        return new IllegalArgumentException("not an origin (http:// or https://host[:port], nothing after): "
                + origin);
    }

    /** {@code scheme://host[:port]}, lower case, without the scheme's default port. */
    static String normalizeOrigin(String origin) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            throw notAnOrigin(origin);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean http = scheme.equals("http") || scheme.equals("https");
        boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
        if (!http || uri.getHost() == null || uri.getRawUserInfo() != null || !bare || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw notAnOrigin(origin);
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80)
                || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
