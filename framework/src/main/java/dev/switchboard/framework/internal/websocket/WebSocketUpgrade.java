package dev.switchboard.framework.internal.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * Waits for the WebSocket handshake to complete (the 101 response is written), then runs the task that turns the
 * HTTP pipeline into the protocol's (it removes this handler). One per channel; event loop only.
 */
public final class WebSocketUpgrade extends ChannelInboundHandlerAdapter {

    private final Runnable upgrade;

    /** @param upgrade run once, on the event loop, when the handshake is done */
    public WebSocketUpgrade(Runnable upgrade) {
        this.upgrade = upgrade;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            upgrade.run();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
