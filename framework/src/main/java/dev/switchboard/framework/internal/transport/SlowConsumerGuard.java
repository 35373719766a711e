package dev.switchboard.framework.internal.transport;

import dev.switchboard.framework.internal.codec.CloseReason;
import dev.switchboard.framework.internal.codec.ChannelLog;
import dev.switchboard.framework.internal.transport.ChannelConnection.ReadPause;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protects the server from peers that do not read, in bytes rather than time. While the channel is unwritable
 * (over the high water mark) it stops reading from the peer, so a client cannot make us produce replies it will not
 * take, and it tells the connection's {@link ChannelConnection#whenWritable} waiters when the channel drains. A
 * write that finds more than {@code maxBytesAboveHighWater} already queued above the high water mark is refused,
 * and the connection is closed: the server never holds more than that (plus the refused frame, which is released)
 * for a peer that does not read. Stateful: one per channel; event loop only.
 */
public final class SlowConsumerGuard extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(SlowConsumerGuard.class);

    private final long maxBytesAboveHighWater;
    private boolean closing;

    public SlowConsumerGuard(long maxBytesAboveHighWater) {
        if (maxBytesAboveHighWater < 0) {
            throw new IllegalArgumentException("maxBytesAboveHighWater < 0: " + maxBytesAboveHighWater);
        }
        this.maxBytesAboveHighWater = maxBytesAboveHighWater;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // Only an unwritable channel can be over the limit: the common case costs one field read.
        if (!ctx.channel().isWritable() && overLimit(ctx)) {
            ReferenceCountUtil.release(msg);
            promise.tryFailure(new SlowConsumerException(maxBytesAboveHighWater));
            if (!closing) {
                closing = true;
                ChannelLog.report(log, ctx.channel(),
                        "[{}] closing: slow consumer, more than {} bytes queued above the high water mark",
                        ctx.channel().id().asShortText(), maxBytesAboveHighWater);
                CloseReason.mark(ctx.channel(), CloseReason.SLOW_CONSUMER);
                ctx.close();
            }
            return;
        }
        ctx.write(msg, promise);
    }

    private boolean overLimit(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        if (buffer == null) {
            return false; // closed already: the write fails on its own
        }
        long above = buffer.totalPendingWriteBytes() - ctx.channel().config().getWriteBufferHighWaterMark();
        return above > maxBytesAboveHighWater;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ChannelConnection connection = ChannelConnection.of(ctx.channel());
        if (ctx.channel().isWritable()) {
            connection.resumeReading(ReadPause.BACKPRESSURE);
            connection.becameWritable();
        } else {
            connection.pauseReading(ReadPause.BACKPRESSURE);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** Why a write to a peer that does not read was refused. */
    static final class SlowConsumerException extends RuntimeException {
        SlowConsumerException(long limit) {
            super("slow consumer: more than " + limit + " bytes queued above the high water mark", null, false, false);
        }
    }
}
