package dev.switchboard.framework.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.wire.DefaultWireFormat;
import dev.switchboard.framework.Failure;
import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.framework.wire.MalformedBody;
import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.Serializers;
import dev.switchboard.framework.fixtures.echo.Packets.Ping;
import dev.switchboard.framework.internal.scan.ProtocolScanner;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketDecoderTest {

    private static final String ECHO = "dev.switchboard.framework.fixtures.echo";

    /** A serializer that recurses once per byte, as a naive parser of nested input would. */
    private static final class RecursiveSerializer implements Serializer {
        @Override
        public int id() {
            return 9;
        }

        @Override
        public void write(Object packet, ByteBuf out) {
            Serializers.json().write(packet, out);
        }

        @Override
        public <T> T read(ByteBuf body, Class<T> type) {
            descend(0);
            return null;
        }

        @SuppressWarnings("InfiniteRecursion") // on purpose: a serializer that overflows the stack
        private static int descend(int depth) {
            return descend(depth + 1) + 1;
        }

        @Override
        public void verify(Class<?> packetType) {}
    }

    private static PacketDecoder decoder(Serializer... serializers) {
        List<Serializer> all = List.of(serializers);
        DefaultWireFormat format = new DefaultWireFormat();
        return new PacketDecoder(new CodecRegistry(format,
                ProtocolScanner.scan(List.of(ECHO), format, all, ProtocolScanner.Side.SERVER).packetTypes(), all));
    }

    private static Inbound decode(PacketDecoder decoder, int serializerId, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Frame frame = new Frame(new FrameHeader(1, serializerId, 3, bytes.length), Unpooled.wrappedBuffer(bytes));
        try {
            return decoder.decode(frame);
        } finally {
            frame.release();
        }
    }

    @Test
    void aBodyWithinTheLimitsIsDecoded() {
        Inbound inbound = decode(decoder(Serializers.json()), Serializers.JSON_ID, "{\"n\":4,\"x\":[[[]]]}");
        assertThat(inbound).isInstanceOfSatisfying(Inbound.Decoded.class,
                decoded -> assertThat(decoded.packet()).isEqualTo(new Ping(4)));
    }

    @Test
    void theReportedHeartbeatIsAMalformedBodyNamingTheLimit() {
        Inbound inbound = decode(decoder(Serializers.json()), Serializers.JSON_ID, "{\"x\":" + "[".repeat(200_000));
        assertThat(inbound).isInstanceOfSatisfying(Inbound.Rejected.class, rejected -> {
            assertThat(rejected.failure().kind()).isEqualTo(Failure.Kind.MALFORMED_BODY);
            assertThat(rejected.failure().packetType()).isEqualTo(Ping.class);
            assertThat(rejected.failure().cause()).isInstanceOf(MalformedBody.class)
                    .hasMessage("nested deeper than 64 levels at byte 68");
        });
    }

    @Test
    void aSerializerThatOverflowsTheStackGivesAMalformedBodyWithoutTheStackTrace() {
        Inbound inbound = decode(decoder(Serializers.json(), new RecursiveSerializer()), 9, "{}");
        assertThat(inbound).isInstanceOfSatisfying(Inbound.Rejected.class, rejected -> {
            assertThat(rejected.failure().kind()).isEqualTo(Failure.Kind.MALFORMED_BODY);
            assertThat(rejected.failure().cause()).isInstanceOf(MalformedBody.class)
                    .hasMessageEndingWith("overflowed the stack").hasNoCause();
            assertThat(rejected.failure().cause().getStackTrace()).isEmpty();
        });
    }
}
