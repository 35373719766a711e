package dev.switchboard.bench.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits the byte stream into frames and reads their bodies into packet records, emitting {@link WireFrame}s: no
 * {@code ByteBuf} leaves this handler.
 *
 * <pre>
 * +----------+---------+------------+---------+-------------+--------------+
 * | magic    | version | serializer | command | body length | body         |
 * | int32    | u8      | u8         | u8      | int32       | length bytes |
 * | 12345678 | 02      | 01         | 03      | 00 00 00 2A | {"toUs...    |
 * +----------+---------+------------+---------+-------------+--------------+
 * </pre>
 *
 * Big-endian. A wrong magic or a length above the limit discards what was buffered and throws (the stream cannot
 * be trusted after that, so the caller closes the channel). A body that cannot be read yields a {@link MalformedPacket}, an unknown command an
 * {@link UnknownPacket}. Stateful: one instance per channel.
 */
public final class WireFrameDecoder extends ByteToMessageDecoder {

    /** The protocol's magic number. */
    public static final int MAGIC = 0x12345678;
    /** Header bytes before the body. */
    public static final int HEADER_LENGTH = 11;
    /** The default body limit, 1 MiB. */
    public static final int DEFAULT_MAX_BODY_LENGTH = 1 << 20;

    private final int maxBodyLength;

    public WireFrameDecoder() {
        this(DEFAULT_MAX_BODY_LENGTH);
    }

    public WireFrameDecoder(int maxBodyLength) {
        if (maxBodyLength < 0) {
            throw new IllegalArgumentException("maxBodyLength < 0: " + maxBodyLength);
        }
        this.maxBodyLength = maxBodyLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        if (in.readableBytes() < 4) {
            return;
        }
        int magic = in.getInt(start);
        if (magic != MAGIC) {
            in.skipBytes(in.readableBytes()); // the stream is unusable; do not decode it again on close
            throw new CorruptedFrameException(String.format("bad magic 0x%08x, expected 0x%08x", magic, MAGIC));
        }
        if (in.readableBytes() < HEADER_LENGTH) {
            return;
        }
        int length = in.getInt(start + 7);
        if (length < 0 || length > maxBodyLength) {
            in.skipBytes(in.readableBytes());
            throw new TooLongFrameException("body length " + length + " outside 0.." + maxBodyLength);
        }
        if (in.readableBytes() < HEADER_LENGTH + length) {
            return;
        }
        int version = in.getUnsignedByte(start + 4);
        int serializer = in.getUnsignedByte(start + 5);
        int command = in.getUnsignedByte(start + 6);
        in.skipBytes(HEADER_LENGTH);
        byte[] body = new byte[length];
        in.readBytes(body);
        BodyFormat format = BodyFormat.ofId(serializer);
        out.add(new WireFrame(version, format, readPacket(format, serializer, command, body)));
    }

    private static Object readPacket(BodyFormat format, int serializer, int command, byte[] body) {
        CommandCode type = CommandCode.ofCode(command);
        if (type == null) {
            return new UnknownPacket(command);
        }
        if (format == null) {
            return new MalformedPacket(command, "unknown serializer " + serializer);
        }
        try {
            Object packet = format.read(body, 0, body.length, type.packetClass());
            return packet != null ? packet : new MalformedPacket(command, "empty body");
        } catch (RuntimeException e) {
            return new MalformedPacket(command, String.valueOf(e.getMessage()));
        }
    }
}
