package dev.switchboard.framework.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.util.ReferenceCountUtil;

/**
 * Server side, just before the SslHandler: a TLS client's first byte is always 22, the content type of the handshake
 * record that carries its ClientHello. Anything else is refused at once, without waiting for a record to complete:
 * the SslHandler alone would take the first bytes of a plaintext frame for the length of an old SSLv2 record (the
 * default wire format's {@code 0x12345678} magic followed by a version byte of 2 reads as a 4.6 KB record) and wait
 * for the handshake timeout. The refusal goes down the pipeline as a {@link NotSslRecordException}, which the
 * {@link ErrorLogger} logs in one line before closing. Removes itself after the first byte; {@link Sharable}.
 */
@Sharable
public final class TlsFirstByteCheck extends ChannelInboundHandlerAdapter {

    /** TLS content type {@code handshake}. */
    private static final byte HANDSHAKE = 22;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes) || !bytes.isReadable()) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!ctx.channel().isActive()) { // refused already: the rest of that read
            ReferenceCountUtil.release(msg);
            return;
        }
        byte first = bytes.getByte(bytes.readerIndex());
        if (first == HANDSHAKE) {
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        ctx.fireExceptionCaught(new NotSslRecordException(String.format(
                "first byte 0x%02x cannot start a TLS handshake", first & 0xff)));
    }
}
