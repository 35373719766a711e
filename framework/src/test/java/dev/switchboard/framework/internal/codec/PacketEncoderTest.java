package dev.switchboard.framework.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.framework.wire.DefaultWireFormat;
import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.Serializers;
import dev.switchboard.framework.fixtures.echo.Packets.Echo;
import dev.switchboard.framework.fixtures.echo.Packets.Ping;
import dev.switchboard.framework.testing.WireCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketEncoderTest {

    private static final String ECHO = "dev.switchboard.framework.fixtures.echo";

    /** Writes half a body, then fails, like a serializer meeting an unserializable field. */
    private static final class BrokenSerializer implements Serializer {
        @Override
        public int id() {
            return 9;
        }

        @Override
        public void write(Object packet, ByteBuf out) {
            out.writeBytes(new byte[] {'{', '"', 'h'});
            throw new IllegalStateException("cannot serialize " + packet);
        }

        @Override
        public <T> T read(ByteBuf body, Class<T> type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void verify(Class<?> packetType) {}
    }

    private final WireCodec codec = WireCodec.scan(new DefaultWireFormat(),
            List.of(Serializers.json(), Serializers.jsonb(), new BrokenSerializer()), ECHO);

    @Test
    void writesAWholeFrameInTheGivenVersionAndSerializer() {
        ByteBuf out = Unpooled.buffer();
        PacketEncoder.encode(codec.registry(), 1024, new Outbound(new Echo("hi"), 7, Serializers.JSONB_ID), out);

        WireCodec.Received received = codec.decodeAll(out).get(0);
        assertThat(received.header().version()).isEqualTo(7);
        assertThat(received.header().serializerId()).isEqualTo(Serializers.JSONB_ID);
        assertThat(received.header().command()).isEqualTo(5);
        assertThat(received.packet()).isEqualTo(new Echo("hi"));
    }

    @Test
    void aSerializerFailingMidwayLeavesNoPartialBytes() {
        ByteBuf out = Unpooled.buffer().writeBytes(codec.bytes(new Ping(1)));
        int before = out.writerIndex();

        assertThatThrownBy(() -> PacketEncoder.encode(codec.registry(), 1024, new Outbound(new Echo("x"), 1, 9),
                out)).hasMessageContaining("cannot serialize");

        assertThat(out.writerIndex()).isEqualTo(before);
        assertThat(codec.decodeAll(out)).extracting(WireCodec.Received::packet).containsExactly(new Ping(1));
    }

    @Test
    void aBodyOverTheLimitIsRefusedAndLeavesNoBytes() {
        ByteBuf out = Unpooled.buffer();
        try {
            assertThatThrownBy(() -> PacketEncoder.encode(codec.registry(), 10,
                    new Outbound(new Echo("far too long for ten bytes"), 1, 1), out))
                    .isInstanceOf(EncoderException.class)
                    .hasMessageContaining("Echo body of 37 bytes exceeds the limit of 10");
            assertThat(out.writerIndex()).isZero();
        } finally {
            out.release();
        }
    }

    @Test
    void unregisteredClassesAndSerializersAreRefused() {
        ByteBuf out = Unpooled.buffer();
        try {
            assertThatThrownBy(() -> PacketEncoder.encode(codec.registry(), 1024, new Outbound("text", 1, 1), out))
                    .hasMessageContaining("java.lang.String is not a registered @Command packet");
            assertThatThrownBy(() -> PacketEncoder.encode(codec.registry(), 1024,
                    new Outbound(new Ping(1), 1, 42), out)).hasMessageContaining("no serializer with id 42");
            assertThat(out.writerIndex()).isZero();
        } finally {
            out.release();
        }
    }

    @Test
    void inAPipelineAFailedWriteFailsItsPromiseAndWritesNothing() {
        EmbeddedChannel channel = new EmbeddedChannel(new PacketEncoder(codec.registry(), 1024));
        var future = channel.writeAndFlush(new Outbound(new Echo("x"), 1, 9));
        assertThat(future.cause()).isInstanceOf(EncoderException.class);
        Object nothing = channel.readOutbound();
        assertThat(nothing).isNull();

        channel.writeAndFlush(new Outbound(new Ping(3), 1, 1));
        ByteBuf written = channel.readOutbound();
        assertThat(codec.decodeAll(written)).extracting(WireCodec.Received::packet).containsExactly(new Ping(3));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void preEncodedBuffersPassThroughUntouched() {
        EmbeddedChannel channel = new EmbeddedChannel(new PacketEncoder(codec.registry(), 1024));
        ByteBuf frame = codec.encode(new Ping(5));
        channel.writeAndFlush(frame);
        ByteBuf written = channel.readOutbound();
        assertThat(written).isSameAs(frame);
        assertThat(codec.decodeAll(written)).extracting(WireCodec.Received::packet).containsExactly(new Ping(5));
        channel.finishAndReleaseAll();
    }

    @Test
    void decoderRejectsUnknownCommandSerializerAndMalformedBodiesWithoutThrowing() {
        PacketDecoder decoder = new PacketDecoder(codec.registry());
        var unknownCommand = decode(decoder, new dev.switchboard.framework.wire.FrameHeader(1, 1, 200, 2), "{}");
        var unknownSerializer = decode(decoder, new dev.switchboard.framework.wire.FrameHeader(1, 77, 5, 2), "{}");
        var malformed = decode(decoder, new dev.switchboard.framework.wire.FrameHeader(1, 1, 5, 5), "{\"te");

        assertThat(unknownCommand).isInstanceOfSatisfying(Inbound.Rejected.class, r -> {
            assertThat(r.failure().kind()).isEqualTo(dev.switchboard.framework.Failure.Kind.UNKNOWN_COMMAND);
            assertThat(r.failure().commandName()).isEqualTo("command 200");
        });
        assertThat(unknownSerializer).isInstanceOfSatisfying(Inbound.Rejected.class, r ->
                assertThat(r.failure().kind()).isEqualTo(dev.switchboard.framework.Failure.Kind.UNKNOWN_SERIALIZER));
        assertThat(malformed).isInstanceOfSatisfying(Inbound.Rejected.class, r -> {
            assertThat(r.failure().kind()).isEqualTo(dev.switchboard.framework.Failure.Kind.MALFORMED_BODY);
            assertThat(r.failure().packetType()).isEqualTo(Echo.class);
            assertThat(r.failure().cause()).isNotNull();
        });
    }

    private static Inbound decode(PacketDecoder decoder, dev.switchboard.framework.wire.FrameHeader header, String body) {
        Frame frame = new Frame(header, Unpooled.copiedBuffer(body, java.nio.charset.StandardCharsets.UTF_8));
        try {
            return decoder.decode(frame);
        } finally {
            frame.release();
        }
    }
}
