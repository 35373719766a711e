package dev.switchboard.framework.internal.metrics;

import dev.switchboard.framework.internal.codec.Frame;
import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.framework.wire.ProtocolViolation;
import dev.switchboard.framework.wire.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts frames by command, both ways. Right after the frame decoder: inbound it sees every whole {@link Frame},
 * before the frame rate, the decoder and the auth gate decide anything about it (so refused and malformed frames
 * count too); outbound it sees every frame as bytes, packets the encoder just wrote and pre-encoded shared frames
 * alike, and reads the command from the header where the wire format puts it. Added only when the server has a
 * registry. Stateless and {@link Sharable}.
 */
@Sharable
public final class FrameMeter extends ChannelDuplexHandler {

    private final ServerMetrics metrics;
    private final WireFormat format;

    public FrameMeter(ServerMetrics metrics, WireFormat format) {
        this.metrics = metrics;
        this.format = format;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Frame frame) {
            metrics.frameReceived(frame.header().command());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // Empty buffers are flush or close markers, not frames.
        if (msg instanceof ByteBuf bytes && bytes.readableBytes() >= format.headerLength()) {
            FrameHeader header;
            try {
                header = format.readHeader(bytes); // leaves the reader index where it was
            } catch (ProtocolViolation e) {
                header = null; // not a frame of ours: counted as unknown, and written as it is
            }
            metrics.frameSent(header == null ? -1 : header.command());
        }
        ctx.write(msg, promise);
    }
}
