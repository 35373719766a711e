package dev.switchboard.framework.internal.transport;

import dev.switchboard.framework.internal.codec.CloseReason;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes a connection on which nothing was read for the reader-idle time. Stateless and {@link Sharable}. */
@Sharable
public final class IdleCloser extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(IdleCloser.class);

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            log.debug("[{}] closing: reader idle", ctx.channel().id().asShortText());
            CloseReason.mark(ctx.channel(), CloseReason.IDLE);
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
