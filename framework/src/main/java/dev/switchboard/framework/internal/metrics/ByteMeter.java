package dev.switchboard.framework.internal.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes read from and written to the socket. First in the pipeline, nearest the socket, so that with TLS
 * it counts what crosses the network (records and handshakes), not plaintext. Added only when the server has a
 * registry. Stateless and {@link Sharable}; costs one counter increment per read and per write.
 */
@Sharable
public final class ByteMeter extends ChannelDuplexHandler {

    private final ServerMetrics metrics;

    public ByteMeter(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            metrics.bytesReceived(bytes.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        int bytes = msg instanceof ByteBuf buf ? buf.readableBytes()
                : msg instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
        if (bytes > 0) {
            metrics.bytesSent(bytes);
        }
        ctx.write(msg, promise);
    }
}
