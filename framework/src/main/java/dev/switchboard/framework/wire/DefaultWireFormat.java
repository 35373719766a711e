package dev.switchboard.framework.wire;

import dev.switchboard.framework.Command;
import io.netty.buffer.ByteBuf;

/**
 * The IM protocol's frame: an 11-byte big-endian header, then the body.
 *
 * <pre>
 * +----------+---------+------------+---------+-------------+------------------+
 * | magic    | version | serializer | command | body length | body             |
 * | int32    | u8      | u8         | u8      | int32       | length bytes     |
 * | 12345678 | 01      | 01         | 03      | 00 00 00 2A | {"toUserId":...} |
 * +----------+---------+------------+---------+-------------+------------------+
 * </pre>
 *
 * The magic is checked as soon as four bytes have arrived, and the version byte against the accepted versions
 * (any, unless restricted with {@link #acceptingVersions}) as soon as it has arrived. Command codes are 0 to 255. The body length is checked
 * by the framework against its limit (1 MiB by default) before any body byte is buffered.
 */
public final class DefaultWireFormat implements WireFormat {

    /** The IM protocol's magic number. */
    public static final int DEFAULT_MAGIC = 0x12345678;

    private static final int HEADER_LENGTH = 11;
    private static final int MAGIC_LENGTH = 4;

    private final int magic;
    private final boolean[] acceptedVersions;

    /** The format with the IM protocol's magic number, accepting every version byte. */
    public DefaultWireFormat() {
        this(DEFAULT_MAGIC);
    }

    /** The format with another magic number, accepting every version byte. */
    public DefaultWireFormat(int magic) {
        this(magic, null);
    }

    private DefaultWireFormat(int magic, boolean[] acceptedVersions) {
        this.magic = magic;
        this.acceptedVersions = acceptedVersions;
    }

    /**
     * The same format closing connections whose frames carry any other version byte: a peer speaking a version the
     * application does not know cannot be answered sensibly.
     */
    public DefaultWireFormat acceptingVersions(int... versions) {
        if (versions.length == 0) {
            throw new IllegalArgumentException("at least one version is needed");
        }
        boolean[] accepted = new boolean[256];
        for (int version : versions) {
            if (version < 0 || version > 0xFF) {
                throw new IllegalArgumentException("version outside 0..255: " + version);
            }
            accepted[version] = true;
        }
        return new DefaultWireFormat(magic, accepted);
    }

    /** The magic number this format expects. */
    public int magic() {
        return magic;
    }

    @Override
    public int minCommand() {
        return 0;
    }

    @Override
    public int maxCommand() {
        return 0xFF;
    }

    @Override
    public int defaultSerializerId() {
        return 1;
    }

    @Override
    public int defaultVersion() {
        return 1;
    }

    @Override
    public int headerLength() {
        return HEADER_LENGTH;
    }

    @Override
    public FrameHeader readHeader(ByteBuf in) {
        int start = in.readerIndex();
        if (in.readableBytes() < MAGIC_LENGTH) {
            return null;
        }
        int seen = in.getInt(start);
        if (seen != magic) {
            throw new ProtocolViolation(String.format("bad magic 0x%08x, expected 0x%08x", seen, magic));
        }
        if (acceptedVersions != null && in.readableBytes() > MAGIC_LENGTH
                && !acceptedVersions[in.getUnsignedByte(start + MAGIC_LENGTH)]) {
            throw new ProtocolViolation("unsupported version " + in.getUnsignedByte(start + MAGIC_LENGTH));
        }
        if (in.readableBytes() < HEADER_LENGTH) {
            return null;
        }
        return new FrameHeader(
                in.getUnsignedByte(start + 4),
                in.getUnsignedByte(start + 5),
                in.getUnsignedByte(start + 6),
                in.getInt(start + 7));
    }

    @Override
    public void writeHeader(FrameHeader header, ByteBuf out) {
        out.writeInt(magic)
                .writeByte(header.version())
                .writeByte(header.serializerId())
                .writeByte(header.command())
                .writeInt(header.bodyLength());
    }

    @Override
    public String toString() {
        return String.format("DefaultWireFormat(magic=0x%08x)", magic);
    }
}
