package dev.switchboard.framework.internal.transport;

import dev.switchboard.framework.internal.codec.Outbound;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client side: sends a heartbeat packet whenever nothing was written for the heartbeat interval, and closes the
 * connection (so that the client reconnects) when nothing was read for the reader-idle time.
 * Stateless and {@link Sharable}.
 */
@Sharable
public final class HeartbeatSender extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatSender.class);

    private final Supplier<Object> heartbeat;

    /** @param heartbeat creates the heartbeat packet; null sends none */
    public HeartbeatSender(Supplier<Object> heartbeat) {
        this.heartbeat = heartbeat;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                log.debug("[{}] closing: server silent", ctx.channel().id().asShortText());
                ctx.close();
            } else if (idle.state() == IdleState.WRITER_IDLE && heartbeat != null) {
                ChannelConnection connection = ChannelConnection.of(ctx.channel());
                // From the tail: this handler sits before the packet encoder, and ctx.write would bypass it.
                ctx.channel().writeAndFlush(new Outbound(heartbeat.get(), connection.protocolVersion(),
                        connection.serializerId())).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
