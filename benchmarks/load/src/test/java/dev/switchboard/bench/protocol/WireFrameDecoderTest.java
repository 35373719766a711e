package dev.switchboard.bench.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WireFrameDecoderTest {

    @ParameterizedTest
    @EnumSource(BodyFormat.class)
    void roundTripsEveryPacketShapeThroughTheEncoder(BodyFormat format) {
        EmbeddedChannel channel = new EmbeddedChannel(new WireFrameDecoder(), WireFrameEncoder.INSTANCE);
        List<Object> packets = List.of(
                LoginRequest.withToken("ann", "t0k"),
                new GroupMessageResponse("g1", new UserRef("7", "bob"), "hi", 3L, 9L, 1234L),
                new CreateGroupResponse(true, "g1", List.of("ann", "bob"), null),
                new HeartBeatRequest(),
                new DeliveryAck(42));
        for (Object packet : packets) {
            channel.writeOutbound(new WireFrame(2, format, packet));
            ByteBuf encoded = channel.readOutbound();
            assertThat(encoded.getInt(0)).isEqualTo(WireFrameDecoder.MAGIC);
            assertThat(encoded.getUnsignedByte(4)).isEqualTo((short) 2);
            assertThat(encoded.getUnsignedByte(5)).isEqualTo((short) format.id());
            assertThat(encoded.getUnsignedByte(6)).isEqualTo((short) CommandCode.of(packet).code());
            assertThat(encoded.getInt(7)).isEqualTo(encoded.readableBytes() - WireFrameDecoder.HEADER_LENGTH);
            channel.writeInbound(encoded);
            WireFrame decoded = channel.readInbound();
            assertThat(decoded).isEqualTo(new WireFrame(2, format, packet));
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void jsonOmitsNullFields() {
        byte[] body = BodyFormat.JSON.write(LoginRequest.withPassword("ann", "pw"));
        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"password\":\"pw\",\"userName\":\"ann\"}");
    }

    @Test
    void waitsForSplitFramesAndReadsSeveralFromOneBuffer() {
        EmbeddedChannel channel = new EmbeddedChannel(new WireFrameDecoder());
        ByteBuf two = Unpooled.buffer();
        two.writeBytes(frame(3, "{\"toUserId\":\"2\",\"message\":\"a\"}"));
        two.writeBytes(frame(17, "{}"));
        channel.writeInbound(two.readRetainedSlice(5));
        Object partial = channel.readInbound();
        assertThat(partial).isNull();
        channel.writeInbound(two.readRetainedSlice(two.readableBytes()));
        two.release();
        assertThat(((WireFrame) channel.readInbound()).packet()).isEqualTo(new MessageRequest("2", "a", null, null));
        assertThat(((WireFrame) channel.readInbound()).packet()).isEqualTo(new HeartBeatRequest());
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void reportsUnknownCommandsAndUnreadableBodiesWithoutClosing() {
        EmbeddedChannel channel = new EmbeddedChannel(new WireFrameDecoder());
        channel.writeInbound(frame(21, "{\"groupId\":\"g1\"}"));
        channel.writeInbound(frame(3, "{not json"));
        assertThat(((WireFrame) channel.readInbound()).packet()).isEqualTo(new UnknownPacket(21));
        assertThat(((WireFrame) channel.readInbound()).packet()).isInstanceOf(MalformedPacket.class);
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void rejectsABadMagicAsSoonAsFourBytesArrive() {
        EmbeddedChannel channel = new EmbeddedChannel(new WireFrameDecoder());
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4})))
                .isInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining("bad magic 0x01020304");
        channel.finishAndReleaseAll();
    }

    @Test
    void rejectsABodyOverTheLimitBeforeBufferingIt() {
        EmbeddedChannel channel = new EmbeddedChannel(new WireFrameDecoder(16));
        ByteBuf header = Unpooled.buffer().writeInt(WireFrameDecoder.MAGIC).writeByte(2).writeByte(1).writeByte(3)
                .writeInt(17);
        assertThatThrownBy(() -> channel.writeInbound(header))
                .isInstanceOf(TooLongFrameException.class)
                .hasMessageContaining("17")
                .hasMessageContaining("16");
        channel.finishAndReleaseAll();
    }

    private static ByteBuf frame(int command, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return Unpooled.buffer().writeInt(WireFrameDecoder.MAGIC).writeByte(2).writeByte(1).writeByte(command)
                .writeInt(body.length).writeBytes(body);
    }
}
