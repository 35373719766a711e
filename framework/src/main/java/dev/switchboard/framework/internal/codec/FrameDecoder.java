package dev.switchboard.framework.internal.codec;

import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.framework.wire.ProtocolViolation;
import dev.switchboard.framework.wire.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts the byte stream into {@link Frame}s, whatever the TCP segmentation. Stateful: one per channel.
 *
 * <p>The header is checked as soon as the wire format can judge it (the magic after four bytes), and the body
 * length before any body byte is buffered. On the first violation the connection is closed and every further byte
 * discarded: unlike Netty's length-field decoder, it never resynchronises on a stream it cannot trust. Once the
 * channel is closed, for whatever reason, frames still in the buffer are discarded rather than dispatched.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);

    private final WireFormat format;
    private final int maxBodyLength;
    private final FrameCounter counter; // null: not counted
    private boolean failed;

    public FrameDecoder(WireFormat format, int maxBodyLength) {
        this(format, maxBodyLength, null);
    }

    /** @param counter this channel's, told of every whole frame cut; or null */
    public FrameDecoder(WireFormat format, int maxBodyLength, FrameCounter counter) {
        if (maxBodyLength < 0) {
            throw new IllegalArgumentException("maxBodyLength < 0: " + maxBodyLength);
        }
        this.format = format;
        this.maxBodyLength = maxBodyLength;
        this.counter = counter;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        try {
            super.channelRead(ctx, msg); // cuts and passes on every whole frame this read completed
        } finally {
            if (counter != null) {
                counter.publish(); // before the replies are flushed (at the end of the read), never after
            }
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed || !ctx.channel().isActive()) {
            // After a violation the stream cannot be trusted; after a close (by a handler, the auth timeout, the
            // idle or slow-consumer guard) nothing more may reach the handlers, even frames already buffered.
            in.skipBytes(in.readableBytes());
            return;
        }
        FrameHeader header;
        try {
            header = format.readHeader(in);
        } catch (ProtocolViolation e) {
            fail(ctx, in, e.getMessage());
            return;
        }
        if (header == null) {
            return;
        }
        int length = header.bodyLength();
        if (length < 0 || length > maxBodyLength) {
            fail(ctx, in, "body length " + length + " outside 0.." + maxBodyLength);
            return;
        }
        int headerLength = format.headerLength();
        if (in.readableBytes() < (long) headerLength + length) {
            return;
        }
        in.skipBytes(headerLength);
        if (counter != null) {
            counter.frameReceived(header.command());
        }
        out.add(new Frame(header, in.readRetainedSlice(length)));
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, String reason) {
        failed = true;
        in.skipBytes(in.readableBytes());
        ChannelLog.report(log, ctx.channel(), "[{}] closing: {}", ctx.channel().id().asShortText(), reason);
        CloseReason.mark(ctx.channel(), CloseReason.PROTOCOL_ERROR);
        ctx.close();
    }
}
