package dev.switchboard.framework.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.MalformedBody;
import dev.switchboard.framework.Serializer;
import io.netty.buffer.Unpooled;

/** What a built-in serializer may do with a body it is given, checked; for fuzz tests in every module. */
public final class SerializerContract {

    private SerializerContract() {}

    /**
     * Reads the body and returns the packet, or null if it was refused as the contract allows: with a
     * {@link MalformedBody} that does not hide an index exception (which would mean fastjson2 read outside the
     * body). Anything else thrown, errors included, propagates and fails the caller.
     */
    public static <T> T readOrRefuse(Serializer serializer, byte[] body, Class<T> type) {
        try {
            T packet = serializer.read(Unpooled.wrappedBuffer(body), type);
            assertThat(packet).isInstanceOf(type);
            return packet;
        } catch (MalformedBody refused) {
            if (refused.getCause() != null) {
                assertThat(refused.getCause()).as("fastjson2 read outside the body")
                        .isNotInstanceOfAny(IndexOutOfBoundsException.class, NegativeArraySizeException.class);
            }
            return null;
        }
    }
}
