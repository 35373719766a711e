package dev.switchboard.framework.internal.transport;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/**
 * Holds back the read requests of the handlers above it while the connection's reading is paused
 * ({@link ChannelConnection#pauseReading}). A pause turns autoRead off, but a handler may still ask for a read: Netty's
 * WebSocket protocol handler does after every ping it answers, so a peer sending pings went on being read, and
 * answered, through the frame rate and the slow-consumer pause. Nothing is lost by dropping a request: resuming turns
 * autoRead back on, which reads. Handlers below the gate (TLS, which must read to finish a record) are not held.
 * Stateless and {@link Sharable}.
 */
@Sharable
public final class ReadGate extends ChannelOutboundHandlerAdapter {

    public static final ReadGate INSTANCE = new ReadGate();

    private ReadGate() {}

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (!ChannelConnection.of(ctx.channel()).readingPaused()) {
            ctx.read();
        }
    }
}
