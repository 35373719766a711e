package dev.switchboard.framework.wire;

import dev.switchboard.framework.Failure;
import io.netty.buffer.ByteBuf;

/**
 * Turns packets into body bytes and back. Identified on the wire by {@link #id()}. Implementations must be
 * thread-safe.
 *
 * @see Serializers the built-in JSON (1) and JSONB (2) serializers
 */
public interface Serializer {

    /** The serializer byte in frame headers. */
    int id();

    /** Writes the packet's body. */
    void write(Object packet, ByteBuf out);

    /**
     * Reads a body. {@code body} holds exactly the body bytes, which a peer may have chosen to be hostile: bound
     * the work and memory a body can cost (see {@link ParsingLimits}), and never recurse without limit.
     *
     * @throws MalformedBody for a body that is not a packet of this type (the built-in serializers throw nothing
     *     else); any other {@link RuntimeException}, or a {@link StackOverflowError}, is reported the same way:
     *     as {@link Failure.Kind#MALFORMED_BODY}
     */
    <T> T read(ByteBuf body, Class<T> type);

    /**
     * Checks at startup that this serializer can build and write the packet class, throwing
     * {@link IllegalArgumentException} with the reason if not.
     */
    void verify(Class<?> packetType);
}
