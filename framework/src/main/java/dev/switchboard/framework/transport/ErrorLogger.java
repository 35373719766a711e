package dev.switchboard.framework.transport;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler: logs an exception that reached the end of the pipeline once and closes the connection, and
 * releases any message nobody consumed. I/O errors (a peer resetting) are routine and logged at DEBUG.
 * Stateless and {@link Sharable}.
 */
@Sharable
public final class ErrorLogger extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ErrorLogger.class);

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String id = ctx.channel().id().asShortText();
        if (cause instanceof IOException) {
            log.debug("[{}] closing: {}", id, cause.toString());
        } else {
            log.warn("[{}] closing after unexpected exception", id, cause);
        }
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        log.debug("[{}] dropping unhandled {}", ctx.channel().id().asShortText(), msg.getClass().getSimpleName());
        ReferenceCountUtil.release(msg);
    }
}
