package dev.switchboard.framework.internal.codec;

import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.framework.wire.ProtocolViolation;
import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes {@link Outbound} packets as frames. Pre-encoded {@code ByteBuf} frames (a group delivery shared between
 * recipients) pass through untouched. With a {@link FrameCounter} it counts every frame written: encoded ones by
 * their packet's code, passing ones by the code in their header. One per channel (its counter is the channel's);
 * without a counter it holds no state.
 */
public final class PacketEncoder extends MessageToByteEncoder<Outbound> {

    private final CodecRegistry registry;
    private final int maxBodyLength;
    private final FrameCounter counter; // null: not counted

    public PacketEncoder(CodecRegistry registry, int maxBodyLength) {
        this(registry, maxBodyLength, null);
    }

    /** @param counter this channel's, told of every frame written; or null */
    public PacketEncoder(CodecRegistry registry, int maxBodyLength, FrameCounter counter) {
        super(Outbound.class);
        this.registry = registry;
        this.maxBodyLength = maxBodyLength;
        this.counter = counter;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        // Empty buffers are flush or close markers, not frames; anything else that is not ours is counted as -1.
        if (counter != null && msg instanceof ByteBuf bytes && bytes.readableBytes() > 0) {
            counter.frameSent(commandOf(bytes));
        }
        super.write(ctx, msg, promise);
    }

    private int commandOf(ByteBuf bytes) {
        WireFormat format = registry.wireFormat();
        if (bytes.readableBytes() < format.headerLength()) {
            return -1;
        }
        try {
            FrameHeader header = format.readHeader(bytes); // leaves the reader index where it was
            return header == null ? -1 : header.command();
        } catch (ProtocolViolation e) {
            return -1;
        }
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Outbound message, ByteBuf out) {
        int code = encode(registry, maxBodyLength, message, out);
        if (counter != null) {
            counter.frameSent(code);
        }
    }

    /** Encodes one packet as a whole frame into a new buffer from {@code allocator}; the caller owns it. */
    public ByteBuf encodeFrame(ByteBufAllocator allocator, Outbound message) {
        ByteBuf frame = allocator.ioBuffer();
        try {
            encode(registry, maxBodyLength, message, frame);
            return frame;
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
    }

    /**
     * Encodes one packet as a whole frame into {@code out}, after what it already holds, and returns its command
     * code. On any failure (unknown class or serializer, a serializer throwing midway, a body over the limit)
     * {@code out} is left as it was.
     */
    public static int encode(CodecRegistry registry, int maxBodyLength, Outbound message, ByteBuf out) {
        Object packet = message.packet();
        PacketType type = registry.byClass(packet.getClass());
        if (type == null) {
            throw new EncoderException(packet.getClass().getName() + " is not a registered @Command packet");
        }
        Serializer serializer = registry.serializer(message.serializerId());
        if (serializer == null) {
            throw new EncoderException("no serializer with id " + message.serializerId());
        }
        WireFormat format = registry.wireFormat();
        int start = out.writerIndex();
        try {
            int headerLength = format.headerLength();
            out.writeZero(headerLength);
            serializer.write(packet, out);
            int end = out.writerIndex();
            int bodyLength = end - start - headerLength;
            if (bodyLength > maxBodyLength) {
                throw new EncoderException(type.name() + " body of " + bodyLength + " bytes exceeds the limit of "
                        + maxBodyLength);
            }
            out.writerIndex(start);
            format.writeHeader(new FrameHeader(message.version(), serializer.id(), type.code(), bodyLength), out);
            if (out.writerIndex() != start + headerLength) {
                throw new IllegalStateException(format + " wrote " + (out.writerIndex() - start)
                        + " header bytes, declared " + headerLength);
            }
            out.writerIndex(end);
            return type.code();
        } catch (RuntimeException e) {
            // Never leave half a frame behind: out may already hold other frames (a batch, a shared group frame).
            out.writerIndex(start);
            throw e;
        }
    }
}
