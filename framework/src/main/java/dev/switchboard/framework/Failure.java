package dev.switchboard.framework;

import java.util.Optional;

/**
 * Why a well-framed packet was not answered by its handler; handed to the {@link ErrorHandler}.
 *
 * @param kind what went wrong
 * @param commandCode the command code of the frame
 * @param packetType the packet class registered for that code, if any
 * @param packet the decoded packet, when decoding succeeded
 * @param cause the exception behind the failure, if any (a handler's own exception, unwrapped)
 */
public record Failure(Kind kind, int commandCode, Class<?> packetType, Object packet, Throwable cause) {

    /** The classes of failure. */
    public enum Kind {
        /** No packet class is registered for the command code. */
        UNKNOWN_COMMAND,
        /** The frame names a serializer this server does not have. */
        UNKNOWN_SERIALIZER,
        /** The body could not be deserialized into the packet class. */
        MALFORMED_BODY,
        /** No handler is registered for a known packet type on this side. */
        NO_HANDLER,
        /** The command is not anonymous and the connection has not authenticated. */
        NOT_AUTHENTICATED,
        /** The business executor refused the work (it is full). */
        OVERLOADED,
        /** The handler threw or its stage completed exceptionally. */
        HANDLER_FAILED
    }

    /** The packet type's simple name, or the code when unknown, for log lines. */
    public String commandName() {
        return packetType != null ? packetType.getSimpleName() : "command " + commandCode;
    }

    /** The decoded packet, if decoding got that far. */
    public Optional<Object> decodedPacket() {
        return Optional.ofNullable(packet);
    }
}
