package dev.switchboard.framework.internal.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes read from and written to the socket. First in the pipeline, nearest the socket, so that with TLS
 * it counts what crosses the network (records and handshakes), not plaintext. Added only when the server has a
 * registry. One per channel: it sums in plain fields on the event loop and adds to the shared counters once per
 * read batch ({@code channelReadComplete}) and once per flush, not once per buffer, so that the cost per frame is
 * an addition. Bytes written but never flushed (the connection closed first) are not counted: they were not sent.
 * It also publishes the channel's {@link FrameTally} on those flushes, which {@code FlushConsolidationHandler}
 * has already batched, so the frames a flush sends are counted before they leave.
 */
public final class ByteMeter extends ChannelDuplexHandler {

    private final ServerMetrics metrics;
    private final FrameTally frames;
    private long read; // event loop only
    private long written; // event loop only

    public ByteMeter(ServerMetrics metrics, FrameTally frames) {
        this.metrics = metrics;
        this.frames = frames;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            read += bytes.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        publishRead();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        publishRead(); // a read batch that ended in a close has no readComplete
        super.channelInactive(ctx);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        written += msg instanceof ByteBuf buf ? buf.readableBytes()
                : msg instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        frames.publish();
        if (written > 0) {
            metrics.bytesSent(written);
            written = 0;
        }
        ctx.flush();
    }

    private void publishRead() {
        if (read > 0) {
            metrics.bytesReceived(read);
            read = 0;
        }
    }
}
