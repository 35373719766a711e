package dev.switchboard.framework;

/**
 * One condition for the server to be ready for traffic, asked by the admin listener's {@code GET /health/ready}:
 * the store answers, a cache is warm. Register it with {@link ServerConfig#readinessCheck(String, ReadinessCheck)}.
 *
 * <pre>{@code
 * Switchboard.server(c -> c.scan("com.example.chat")
 *         .readinessCheck("store", () -> store.ping().get(1, TimeUnit.SECONDS))
 *         .admin(a -> a.port(9090)));
 * }</pre>
 *
 * <p>A check runs only while the server is {@link Server.State#SERVING} (in any other state the server is not ready
 * anyway), on the admin listener's own thread, one check at a time and never on an event loop, so it may block
 * briefly; it must bound its own wait (a second or so), since the admin listener answers nothing else meanwhile.
 */
@FunctionalInterface
public interface ReadinessCheck {

    /**
     * Returns normally when ready; throws when not. The exception's message is logged (once, when the check starts
     * failing), never sent: the health answer names only the check, so it reveals nothing to whoever asks.
     */
    void check() throws Exception;
}
