package dev.switchboard.bench.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link Frame}s in the layout drawn on {@link FrameDecoder}, into a buffer of exactly the frame's size
 * (the body is serialized first, so its length is known). Stateless and {@code @Sharable}.
 */
@Sharable
public final class FrameEncoder extends MessageToMessageEncoder<Frame> {

    /** The one instance. */
    public static final FrameEncoder INSTANCE = new FrameEncoder();

    private FrameEncoder() {
        super(Frame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
        int command = PacketType.of(frame.packet()).code();
        byte[] body = frame.format().write(frame.packet());
        ByteBuf buf = ctx.alloc().ioBuffer(FrameDecoder.HEADER_LENGTH + body.length);
        buf.writeInt(FrameDecoder.MAGIC)
                .writeByte(frame.version())
                .writeByte(frame.format().id())
                .writeByte(command)
                .writeInt(body.length)
                .writeBytes(body);
        out.add(buf);
    }
}
