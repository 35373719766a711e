package dev.switchboard.im.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.framework.Failure;
import dev.switchboard.framework.testing.SerializerContract;
import dev.switchboard.framework.testing.WireCodec;
import dev.switchboard.framework.testing.WireCodec.BodyOutcome;
import dev.switchboard.framework.wire.DefaultWireFormat;
import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.framework.wire.MalformedBody;
import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.Serializers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;

/**
 * Arbitrary bytes as the body of every IM command, in JSON and in JSONB, through the framework's packet decoder:
 * the only outcomes are the decoded packet or {@link Failure.Kind#MALFORMED_BODY} with a {@link MalformedBody}
 * (never another failure, never an exception or error out of the decoder), within the allocation bound of
 * {@link SerializerContract}; and a packet the server accepted can be written again in both serializers and read
 * back by a peer with the same limits (a message one client sends is never one that another cannot read).
 */
class PacketBodyFuzzTest {

    private static final WireCodec CODEC = WireCodec.scan(new DefaultWireFormat(), "dev.switchboard.im.protocol");

    @FuzzTest
    void jsonBodies(byte[] body) {
        decodeAsEveryCommand(Serializers.JSON_ID, body);
    }

    @FuzzTest
    void jsonbBodies(byte[] body) {
        decodeAsEveryCommand(Serializers.JSONB_ID, body);
    }

    private static void decodeAsEveryCommand(int serializerId, byte[] body) {
        for (Map.Entry<Integer, Class<?>> type : CODEC.commands().entrySet()) {
            FrameHeader header = new FrameHeader(2, serializerId, type.getKey(), body.length);
            BodyOutcome outcome = SerializerContract.withinAllocationBound(body.length,
                    () -> CODEC.decodeBody(header, body));
            if (outcome instanceof BodyOutcome.Refused refused) {
                Failure failure = refused.failure();
                assertThat(failure.kind()).as("%s", type).isEqualTo(Failure.Kind.MALFORMED_BODY);
                assertThat(failure.cause()).as("%s", type).isInstanceOf(MalformedBody.class);
                SerializerContract.checkRefusal(serializerId, (MalformedBody) failure.cause());
                continue;
            }
            Object packet = ((BodyOutcome.Packet) outcome).packet();
            assertThat(packet).isInstanceOf(type.getValue());
            for (Serializer peer : List.of(Serializers.json(), Serializers.jsonb())) {
                assertThat(writeAndRead(peer, packet)).as("%s written in %s and read back", type, peer)
                        .isInstanceOf(type.getValue());
            }
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
