package dev.switchboard.im.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.framework.wire.DefaultWireFormat;
import dev.switchboard.framework.Failure;
import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.framework.wire.MalformedBody;
import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.Serializers;
import dev.switchboard.framework.internal.codec.CodecRegistry;
import dev.switchboard.framework.internal.codec.Frame;
import dev.switchboard.framework.internal.codec.Inbound;
import dev.switchboard.framework.internal.codec.PacketDecoder;
import dev.switchboard.framework.internal.codec.PacketType;
import dev.switchboard.framework.testing.SerializerContract;
import dev.switchboard.framework.testing.WireCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Comparator;
import java.util.List;

/**
 * Arbitrary bytes as the body of every IM command, in JSON and in JSONB, through the framework's packet decoder:
 * the only outcomes are the decoded packet or {@link Failure.Kind#MALFORMED_BODY} with a {@link MalformedBody}
 * (never another failure, never an exception or error out of the decoder), within the allocation bound of
 * {@link SerializerContract}; and a packet the server accepted can be written again in both serializers and read
 * back by a peer with the same limits (a message one client sends is never one that another cannot read).
 */
class PacketBodyFuzzTest {

    private static final CodecRegistry REGISTRY =
            WireCodec.scan(new DefaultWireFormat(), "dev.switchboard.im.protocol").registry();
    private static final List<PacketType> TYPES = REGISTRY.packetTypes().stream()
            .sorted(Comparator.comparingInt(PacketType::code)).toList();
    private static final PacketDecoder DECODER = new PacketDecoder(REGISTRY);

    @FuzzTest
    void jsonBodies(byte[] body) {
        decodeAsEveryCommand(Serializers.JSON_ID, body);
    }

    @FuzzTest
    void jsonbBodies(byte[] body) {
        decodeAsEveryCommand(Serializers.JSONB_ID, body);
    }

    private static void decodeAsEveryCommand(int serializerId, byte[] body) {
        for (PacketType type : TYPES) {
            FrameHeader header = new FrameHeader(2, serializerId, type.code(), body.length);
            Inbound inbound = SerializerContract.withinAllocationBound(body.length, () -> decode(header, body));
            if (inbound instanceof Inbound.Rejected rejected) {
                Failure failure = rejected.failure();
                assertThat(failure.kind()).as("%s", type).isEqualTo(Failure.Kind.MALFORMED_BODY);
                assertThat(failure.cause()).as("%s", type).isInstanceOf(MalformedBody.class);
                SerializerContract.checkRefusal(serializerId, (MalformedBody) failure.cause());
                continue;
            }
            Object packet = ((Inbound.Decoded) inbound).packet();
            assertThat(packet).isInstanceOf(type.type());
            for (Serializer peer : List.of(Serializers.json(), Serializers.jsonb())) {
                assertThat(writeAndRead(peer, packet)).as("%s written in %s and read back", type, peer)
                        .isInstanceOf(type.type());
            }
        }
    }

    private static Inbound decode(FrameHeader header, byte[] body) {
        Frame frame = new Frame(header, Unpooled.wrappedBuffer(body));
        try {
            return DECODER.decode(frame);
        } finally {
            frame.release();
        }
    }

    private static Object writeAndRead(Serializer serializer, Object packet) {
        ByteBuf out = Unpooled.buffer();
        try {
            serializer.write(packet, out);
            return serializer.read(out, packet.getClass());
        } finally {
            out.release();
        }
    }
}
