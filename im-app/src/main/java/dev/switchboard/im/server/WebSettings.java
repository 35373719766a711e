package dev.switchboard.im.server;

import java.util.List;
import java.util.Objects;

/**
 * The IM server's web listener: the WebSocket endpoint at {@value #SOCKET_PATH} (the same protocol as the chat port,
 * one frame per binary message) and the web client's static files from the classpath directory
 * {@value #STATIC_ROOT}, on a port of its own. Off unless {@code server --web-port} is given.
 *
 * @param port port to bind (on the server's host), 0 for a free one
 * @param origins the page origins besides the listener's own that may open the WebSocket
 *     ({@code scheme://host[:port]}); a page served by this listener itself is always allowed, and so is a client
 *     that sends no {@code Origin} (a program, not a browser)
 */
public record WebSettings(int port, List<String> origins) {

    /** Where the WebSocket endpoint listens. */
    public static final String SOCKET_PATH = "/ws";

    /** The classpath directory of the web client's files ({@code index.html}, {@code js/}, {@code css/}). */
    public static final String STATIC_ROOT = "web";

    public WebSettings {
        Objects.requireNonNull(origins, "origins");
        origins = List.copyOf(origins);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("web port outside 0..65535: " + port);
        }
    }

    /** At this port, allowing only the listener's own pages (and programs). */
    public static WebSettings on(int port) {
        return new WebSettings(port, List.of());
    }
}
