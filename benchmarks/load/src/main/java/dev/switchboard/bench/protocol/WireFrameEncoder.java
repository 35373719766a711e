package dev.switchboard.bench.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link WireFrame}s in the layout drawn on {@link WireFrameDecoder}, into a buffer of exactly the frame's size
 * (the body is serialized first, so its length is known). Stateless and {@code @Sharable}.
 */
@Sharable
public final class WireFrameEncoder extends MessageToMessageEncoder<WireFrame> {

    /** The one instance. */
    public static final WireFrameEncoder INSTANCE = new WireFrameEncoder();

    private WireFrameEncoder() {
        super(WireFrame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, WireFrame frame, List<Object> out) {
        int command = CommandCode.of(frame.packet()).code();
        byte[] body = frame.format().write(frame.packet());
        ByteBuf buf = ctx.alloc().ioBuffer(WireFrameDecoder.HEADER_LENGTH + body.length);
        buf.writeInt(WireFrameDecoder.MAGIC)
                .writeByte(frame.version())
                .writeByte(frame.format().id())
                .writeByte(command)
                .writeInt(body.length)
                .writeBytes(body);
        out.add(buf);
    }
}
