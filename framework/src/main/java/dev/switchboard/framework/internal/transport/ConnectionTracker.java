package dev.switchboard.framework.internal.transport;

import dev.switchboard.framework.ConnectionListener;
import dev.switchboard.framework.internal.codec.CloseReason;
import dev.switchboard.framework.internal.metrics.ServerMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side: refuses connections over the server's limit or a source address's ({@link SourceLimits}), keeps the
 * set of open channels for graceful shutdown, and tells
 * the application's listeners about opened and closed connections. {@link Sharable}: one per server.
 */
@Sharable
public final class ConnectionTracker extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionTracker.class);
    private static final AttributeKey<Boolean> ACCEPTED = AttributeKey.valueOf("switchboard.accepted");
    private static final AttributeKey<Boolean> ANNOUNCED = AttributeKey.valueOf("switchboard.announced");
    /** Set before the tracker sees the channel: its listeners hear of it only at {@link #announce}. */
    private static final AttributeKey<Boolean> DEFERRED = AttributeKey.valueOf("switchboard.announce-later");

    private final ChannelGroup channels;
    private final int maxConnections;
    private final List<ConnectionListener> listeners;
    private final AtomicInteger open = new AtomicInteger();
    private static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastRefusalLog = new AtomicLong(System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS);

    private final SourceLimits sources;
    private final ServerMetrics metrics; // null: no registry

    public ConnectionTracker(ChannelGroup channels, int maxConnections, List<ConnectionListener> listeners) {
        this(channels, maxConnections, new SourceLimits(SourceLimits.Settings.off()), listeners, null);
    }

    public ConnectionTracker(ChannelGroup channels, int maxConnections, SourceLimits sources,
            List<ConnectionListener> listeners) {
        this(channels, maxConnections, sources, listeners, null);
    }

    /** @param metrics where opened, closed (by {@link CloseReason}) and refused connections are counted, or null */
    public ConnectionTracker(ChannelGroup channels, int maxConnections, SourceLimits sources,
            List<ConnectionListener> listeners, ServerMetrics metrics) {
        this.channels = channels;
        this.maxConnections = maxConnections;
        this.sources = sources;
        this.listeners = List.copyOf(listeners);
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel channel = ctx.channel();
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            refuse(ctx, ServerMetrics.Refusal.MAX_CONNECTIONS, "connection limit " + maxConnections + " reached");
            return;
        }
        InetAddress source = channel.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        SourceLimits.Verdict verdict = source == null ? SourceLimits.Verdict.ACCEPTED : sources.admit(source);
        if (verdict != SourceLimits.Verdict.ACCEPTED) {
            open.decrementAndGet();
            boolean tooFast = verdict == SourceLimits.Verdict.TOO_FAST;
            refuse(ctx, tooFast ? ServerMetrics.Refusal.PER_SOURCE_RATE : ServerMetrics.Refusal.PER_SOURCE_OPEN,
                    tooFast ? "too many new connections from " + source : "too many connections open from " + source);
            return;
        }
        channel.attr(ACCEPTED).set(Boolean.TRUE);
        channels.add(channel);
        if (metrics != null) {
            metrics.opened();
        }
        channel.closeFuture().addListener(f -> {
            open.decrementAndGet();
            if (metrics != null) {
                metrics.closed(CloseReason.of(channel));
            }
            if (source != null) {
                sources.released(source);
            }
        });
        if (!channel.hasAttr(DEFERRED)) {
            announce(channel);
        }
        ctx.fireChannelActive();
    }

    /**
     * Marks a channel whose listeners should hear of it later, by {@link #announce}: a WebSocket connection, which
     * is a protocol connection only once its handshake is done (a static file request never becomes one). The limits
     * and metrics count it from the accept all the same.
     */
    public static void deferListeners(Channel channel) {
        channel.attr(DEFERRED).set(Boolean.TRUE);
    }

    /** Tells the listeners a connection opened, once, if it was accepted and is open; event loop only. */
    public void announce(Channel channel) {
        if (!channel.hasAttr(ACCEPTED) || !channel.isActive()
                || channel.attr(ANNOUNCED).setIfAbsent(Boolean.TRUE) != null) {
            return;
        }
        ChannelConnection connection = ChannelConnection.of(channel);
        for (ConnectionListener listener : listeners) {
            try {
                listener.opened(connection);
            } catch (RuntimeException e) {
                log.warn("[{}] listener {} failed on open", connection.id(), listener, e);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ChannelConnection connection = ChannelConnection.of(ctx.channel());
        if (ctx.channel().hasAttr(ANNOUNCED)) {
            for (ConnectionListener listener : listeners) {
                try {
                    listener.closed(connection);
                } catch (RuntimeException e) {
                    log.warn("[{}] listener {} failed on close", connection.id(), listener, e);
                }
            }
        }
        ctx.fireChannelInactive();
    }

    private void refuse(ChannelHandlerContext ctx, ServerMetrics.Refusal reason, String why) {
        long refusedNow = refused.incrementAndGet();
        if (metrics != null) {
            metrics.refused(reason);
        }
        long now = System.nanoTime();
        long last = lastRefusalLog.get();
        // At most one line per interval: a connection flood must not become a log flood.
        if (now - last >= REFUSAL_LOG_INTERVAL_NANOS && lastRefusalLog.compareAndSet(last, now)) {
            log.warn("[{}] refused: {} ({} refused so far)", ctx.channel().id().asShortText(), why, refusedNow);
        }
        ctx.close();
    }

    /** Connections refused so far (over the server's or a source's limits). */
    public long refusedConnections() {
        return refused.get();
    }

    /** Connections open now. */
    public int openConnections() {
        return open.get();
    }
}
