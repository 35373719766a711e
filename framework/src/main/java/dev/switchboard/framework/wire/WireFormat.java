package dev.switchboard.framework.wire;

import io.netty.buffer.ByteBuf;

/**
 * How frames are laid out on the wire: a header carrying at least a command code and a body length, then the body.
 * The framework does the buffering, limits and error handling around it; an implementation only reads and
 * writes headers. Implementations must be immutable and thread-safe.
 *
 * @see DefaultWireFormat the 11-byte header of the IM protocol
 */
public interface WireFormat {

    /** Smallest command code this format can carry. */
    int minCommand();

    /** Largest command code this format can carry. */
    int maxCommand();

    /** The serializer id used when the header carries none, and for connections that have sent nothing yet. */
    int defaultSerializerId();

    /** The version used for connections that have sent nothing yet. */
    int defaultVersion();

    /**
     * Reads one header from {@code in} starting at its reader index, without moving it.
     *
     * <p>Return {@code null} when more bytes are needed. Throw {@link ProtocolViolation} as soon as the bytes
     * already available prove the stream is not this protocol (a wrong magic, say), so the connection is closed
     * without waiting for more. The framework checks the body length against its limit.
     *
     * @return the header, or {@code null} if incomplete
     */
    FrameHeader readHeader(ByteBuf in);

    /** The header's size in bytes: the body starts this many bytes after the header's first byte. */
    int headerLength();

    /** Writes the header for a body of {@code header.bodyLength()} bytes. */
    void writeHeader(FrameHeader header, ByteBuf out);
}
