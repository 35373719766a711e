package dev.switchboard.framework.testing;

import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.Serializers;
import dev.switchboard.framework.wire.WireFormat;
import dev.switchboard.framework.Failure;
import dev.switchboard.framework.internal.codec.CodecRegistry;
import dev.switchboard.framework.internal.codec.Frame;
import dev.switchboard.framework.internal.codec.Inbound;
import dev.switchboard.framework.internal.codec.PacketDecoder;
import dev.switchboard.framework.internal.codec.Outbound;
import dev.switchboard.framework.internal.codec.PacketEncoder;
import dev.switchboard.framework.internal.codec.PacketType;
import dev.switchboard.framework.internal.scan.ProtocolScanner;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The test side of a wire: encodes packets into frame bytes and decodes frames written by the code under test,
 * with the same scan and codecs the framework uses.
 */
public final class WireCodec {

    /** One decoded frame. */
    public record Received(FrameHeader header, Object packet) {}

    /** What the server's packet decoder makes of one frame's body: a packet, or a refusal. */
    public sealed interface BodyOutcome {
        /** The body was read into a packet. */
        record Packet(Object packet) implements BodyOutcome {}

        /** The body was refused, as a server would refuse it. */
        record Refused(Failure failure) implements BodyOutcome {}
    }

    private final CodecRegistry registry;
    private final PacketDecoder decoder;

    public WireCodec(CodecRegistry registry) {
        this.registry = registry;
        this.decoder = new PacketDecoder(registry);
    }

    /** Scans the packages with JSON and JSONB. */
    public static WireCodec scan(WireFormat format, String... packages) {
        return scan(format, List.of(Serializers.json(), Serializers.jsonb()), packages);
    }

    public static WireCodec scan(WireFormat format, List<Serializer> serializers, String... packages) {
        List<PacketType> types = ProtocolScanner.scan(List.of(packages), format, serializers,
                ProtocolScanner.Side.SERVER).packetTypes();
        return new WireCodec(new CodecRegistry(format, types, serializers));
    }

    public CodecRegistry registry() {
        return registry;
    }

    public WireFormat format() {
        return registry.wireFormat();
    }

    /** A frame in the wire format's default version and serializer. */
    public ByteBuf encode(Object packet) {
        return encode(packet, format().defaultVersion(), format().defaultSerializerId());
    }

    public ByteBuf encode(Object packet, int version, int serializerId) {
        ByteBuf out = Unpooled.buffer();
        PacketEncoder.encode(registry, Integer.MAX_VALUE, new Outbound(packet, version, serializerId), out);
        return out;
    }

    /** The frame's bytes. */
    public byte[] bytes(Object packet, int version, int serializerId) {
        ByteBuf frame = encode(packet, version, serializerId);
        try {
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            return bytes;
        } finally {
            frame.release();
        }
    }

    public byte[] bytes(Object packet) {
        return bytes(packet, format().defaultVersion(), format().defaultSerializerId());
    }

    /** A raw frame: any header, any body bytes. */
    public ByteBuf raw(FrameHeader header, byte[] body) {
        ByteBuf out = Unpooled.buffer();
        format().writeHeader(header, out);
        return out.writeBytes(body);
    }

    /** Every command of the scanned packages, by code in ascending order, with its packet type. */
    public SortedMap<Integer, Class<?>> commands() {
        SortedMap<Integer, Class<?>> commands = new TreeMap<>();
        for (PacketType type : registry.packetTypes()) {
            commands.put(type.code(), type.type());
        }
        return commands;
    }

    /** Decodes one frame's body as the server's packet decoder does, with its parsing limits. */
    public BodyOutcome decodeBody(FrameHeader header, byte[] body) {
        Frame frame = new Frame(header, Unpooled.wrappedBuffer(body));
        try {
            Inbound inbound = decoder.decode(frame);
            if (inbound instanceof Inbound.Rejected rejected) {
                return new BodyOutcome.Refused(rejected.failure());
            }
            return new BodyOutcome.Packet(((Inbound.Decoded) inbound).packet());
        } finally {
            frame.release();
        }
    }

    /** Reads one whole frame from {@code in}, moving its reader index; does not release it. */
    public Received decode(ByteBuf in) {
        FrameHeader header = format().readHeader(in);
        if (header == null || in.readableBytes() < format().headerLength() + header.bodyLength()) {
            throw new AssertionError("incomplete frame: " + in.readableBytes() + " bytes");
        }
        in.skipBytes(format().headerLength());
        ByteBuf body = in.readSlice(header.bodyLength());
        PacketType type = registry.byCode(header.command());
        if (type == null) {
            throw new AssertionError("unknown command " + header.command());
        }
        return new Received(header, registry.serializer(header.serializerId()).read(body, type.type()));
    }

    /** Decodes every frame in {@code in} and releases it. */
    public List<Received> decodeAll(ByteBuf in) {
        try {
            java.util.ArrayList<Received> all = new java.util.ArrayList<>();
            while (in.isReadable()) {
                all.add(decode(in));
            }
            return all;
        } finally {
            in.release();
        }
    }

    /** Decodes one whole frame given as bytes (a WebSocket message, say), which must hold nothing more. */
    public Received decode(byte[] frame) {
        List<Received> all = decodeAll(io.netty.buffer.Unpooled.wrappedBuffer(frame));
        if (all.size() != 1) {
            throw new AssertionError(all.size() + " frames in " + frame.length + " bytes, expected one");
        }
        return all.get(0);
    }
}
