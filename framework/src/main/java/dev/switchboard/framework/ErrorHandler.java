package dev.switchboard.framework;

/**
 * The application's one place that turns failures into replies (unknown commands, bad bodies, requests before
 * login, handler exceptions). The connection stays open whatever it returns.
 *
 * <p>Called on the connection's event loop or on the business executor; must not block.
 */
@FunctionalInterface
public interface ErrorHandler {

    /**
     * Returns the packet to reply with, in the request's version and serializer, or {@code null} to send nothing.
     */
    Object toReply(Connection connection, Failure failure);

    /** Replies nothing; failures are only logged. */
    ErrorHandler SILENT = (connection, failure) -> null;
}
