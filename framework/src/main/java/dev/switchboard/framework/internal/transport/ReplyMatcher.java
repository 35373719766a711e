package dev.switchboard.framework.internal.transport;

import dev.switchboard.framework.internal.codec.Inbound;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;

/**
 * Client side: hands replies to the requests waiting for them; everything else goes on to the handlers.
 * {@link Sharable}: shares the client's {@link PendingReplies}.
 */
@Sharable
public final class ReplyMatcher extends ChannelInboundHandlerAdapter {

    private final PendingReplies pending;

    public ReplyMatcher(PendingReplies pending) {
        this.pending = pending;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Inbound.Decoded decoded) {
            ChannelConnection.of(ctx.channel()).frameReceived(decoded.header());
            if (pending.complete(decoded.packet())) {
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pending.failAll(new IOException("connection closed before the reply arrived"));
        ctx.fireChannelInactive();
    }
}
