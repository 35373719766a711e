package dev.switchboard.framework;

/**
 * {@link Server#start()} could not finish: a service, the admin listener or the port failed to start (a port in use,
 * a data directory another process holds, a database that cannot be reached). Whatever had started is stopped
 * again. The message names what failed and why, in one line, for an operator; the cause has the details. An
 * {@link IllegalStateException}, as it was before it had a type of its own.
 */
public final class StartFailedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    StartFailedException(String what, Throwable cause) {
        super(what + ": " + reason(cause), cause);
    }

    /** A cause's own message where it has one ("Address already in use"), else its type. */
    private static String reason(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.toString() : message;
    }
}
