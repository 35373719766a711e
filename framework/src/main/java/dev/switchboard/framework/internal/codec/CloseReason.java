package dev.switchboard.framework.internal.codec;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Why the server closed a connection, for the {@code switchboard.connections.closed} metric. The handler that
 * decides to close marks the channel first; the first mark wins (a slow consumer closed during shutdown stays a
 * slow consumer), and a connection closed without one was closed by the peer. Kept as a channel attribute, like
 * {@link ChannelLog}, for the handlers of every package; thread-safe. Marking costs one attribute write, on the
 * close path only.
 */
public enum CloseReason {
    /** The peer closed or reset the connection (nothing on our side marked it). */
    PEER("peer"),
    /** Nothing was read for the reader-idle time. */
    IDLE("idle"),
    /** Not authenticated within the auth timeout. */
    AUTH_TIMEOUT("auth-timeout"),
    /** More bytes queued above the high water mark than allowed. */
    SLOW_CONSUMER("slow-consumer"),
    /** A framing violation: bad magic or version, a body length outside the limit. */
    PROTOCOL_ERROR("protocol-error"),
    /** Not TLS, a failed or timed-out handshake, a bad record. */
    TLS("tls"),
    /** The application closed it ({@code Connection.close}). */
    APPLICATION("application"),
    /** An unexpected exception reached the end of the pipeline. */
    ERROR("error"),
    /** The server shut down. */
    SERVER_SHUTDOWN("server-shutdown");

    private static final AttributeKey<CloseReason> KEY = AttributeKey.valueOf("switchboard.close-reason");

    private final String tag;

    CloseReason(String tag) {
        this.tag = tag;
    }

    /** The metric's tag value. */
    public String tag() {
        return tag;
    }

    /** Records why {@code channel} is being closed, unless a reason was recorded already. */
    public static void mark(Channel channel, CloseReason reason) {
        channel.attr(KEY).setIfAbsent(reason);
    }

    /** Why the channel was closed: the first reason marked, or {@link #PEER}. */
    public static CloseReason of(Channel channel) {
        CloseReason reason = channel.hasAttr(KEY) ? channel.attr(KEY).get() : null;
        return reason == null ? PEER : reason;
    }
}
