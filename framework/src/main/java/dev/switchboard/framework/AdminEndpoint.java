package dev.switchboard.framework;

/**
 * One operation of the admin listener, such as {@code GET /stats}; see {@link AdminConfig}.
 *
 * <p>Endpoints run one at a time on the admin listener's own thread, never on an event loop or the business
 * executor, so an endpoint may block briefly (read a file, run a garbage collection) without touching the chat
 * traffic. A thrown exception becomes a 500 reply and one WARN line.
 */
@FunctionalInterface
public interface AdminEndpoint {

    /** Answers one request; only called once the request passed the token check. */
    AdminResponse handle(AdminRequest request) throws Exception;
}
