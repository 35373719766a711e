package dev.switchboard.framework.wire;

import dev.switchboard.framework.Failure;

/**
 * Thrown by a {@link Serializer} for a body it will not turn into a packet: not well-formed, not the packet's
 * shape, or beyond the {@link ParsingLimits}. The framework reports it as {@link Failure.Kind#MALFORMED_BODY}
 * (with this exception as the failure's cause) and keeps the connection open. The built-in serializers keep its
 * message short (it names the problem and where it is, and quotes at most a short excerpt, without control
 * characters), so it is safe to log. No stack trace is captured: a hostile peer can cause one per frame.
 */
public final class MalformedBody extends RuntimeException {

    public MalformedBody(String message) {
        super(message, null, false, false);
    }

    public MalformedBody(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
