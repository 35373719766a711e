package dev.switchboard.framework.wire;

/**
 * Thrown by a {@link WireFormat} for bytes that cannot be a frame (wrong magic, impossible length). The framework
 * closes the connection: after a framing error the stream cannot be trusted.
 */
public final class ProtocolViolation extends RuntimeException {

    public ProtocolViolation(String message) {
        super(message, null, false, false);
    }
}
