package dev.switchboard.framework.internal.transport;

import dev.switchboard.framework.Failure;
import dev.switchboard.framework.internal.codec.CloseReason;
import dev.switchboard.framework.internal.codec.ChannelLog;
import dev.switchboard.framework.internal.codec.Inbound;
import dev.switchboard.framework.internal.metrics.ServerMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits in the pipeline while the connection is not authenticated: lets anonymous commands through, turns every
 * other packet into a {@code NOT_AUTHENTICATED} rejection, and closes the connection if it has not authenticated
 * within the timeout (heartbeats do not extend it). {@link ChannelConnection#authenticate} removes it;
 * {@link ChannelConnection#logout} puts a new one back, with a new timeout. Stateful: one per channel.
 */
public final class AuthGate extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(AuthGate.class);

    private final Duration timeout;
    private final ServerMetrics metrics; // null: no registry
    private ScheduledFuture<?> deadline;

    /** A zero or negative timeout disables the deadline. */
    public AuthGate(Duration timeout) {
        this(timeout, null);
    }

    /** @param metrics where refused packets are counted, or null */
    public AuthGate(Duration timeout, ServerMetrics metrics) {
        this.timeout = timeout;
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (timeout.isZero() || timeout.isNegative()) {
            return;
        }
        deadline = ctx.executor().schedule(() -> {
            ChannelConnection connection = ChannelConnection.of(ctx.channel());
            if (!connection.isAuthenticated() && ctx.channel().isOpen()) {
                ChannelLog.report(log, ctx.channel(), "[{}] closing: not authenticated within {} ms",
                        connection.id(), timeout.toMillis());
                CloseReason.mark(ctx.channel(), CloseReason.AUTH_TIMEOUT);
                ctx.close();
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Inbound.Decoded decoded && !decoded.type().anonymous()
                && !ChannelConnection.of(ctx.channel()).isAuthenticated()) {
            if (metrics != null) {
                metrics.authRefused();
            }
            Failure failure = new Failure(Failure.Kind.NOT_AUTHENTICATED, decoded.header().command(),
                    decoded.type().type(), decoded.packet(), null);
            ctx.fireChannelRead(new Inbound.Rejected(decoded.header(), failure));
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
