package dev.switchboard.framework;

/**
 * How a {@link Client#request} fails when the server answers it with an {@link ErrorReply}: the future completes
 * exceptionally with this exception, which carries the error packet.
 */
public final class RequestFailedException extends Exception {

    private final transient ErrorReply reply;

    public RequestFailedException(ErrorReply reply) {
        super("request " + reply.requestCommand() + " failed: " + reply.reason());
        this.reply = reply;
    }

    /** The server's error packet. */
    public ErrorReply reply() {
        return reply;
    }
}
