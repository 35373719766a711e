package dev.switchboard.framework;

/**
 * Implemented by a protocol's error packet so that {@link Client#request} can fail the request it answers instead
 * of waiting for its timeout.
 */
public interface ErrorReply {

    /** The command code of the request this error answers. */
    int requestCommand();

    /** A human-readable reason. */
    String reason();
}
