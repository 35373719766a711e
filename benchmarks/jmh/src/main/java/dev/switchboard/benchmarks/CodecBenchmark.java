package dev.switchboard.benchmarks;

import dev.switchboard.benchmarks.fixture.ChatLine;
import dev.switchboard.framework.wire.DefaultWireFormat;
import dev.switchboard.framework.wire.Serializers;
import dev.switchboard.framework.internal.codec.CodecRegistry;
import dev.switchboard.framework.internal.codec.Frame;
import dev.switchboard.framework.internal.codec.Inbound;
import dev.switchboard.framework.internal.codec.Outbound;
import dev.switchboard.framework.internal.codec.PacketDecoder;
import dev.switchboard.framework.internal.codec.PacketEncoder;
import dev.switchboard.framework.internal.codec.PacketType;
import dev.switchboard.framework.wire.FrameHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Encoding a delivery into a frame, and decoding a frame's body back into the packet, per serializer. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    @Param({"1", "2"})
    public int serializer;

    private CodecRegistry registry;
    private PacketDecoder decoder;
    private Outbound outbound;
    private ByteBuf encodedBody;
    private FrameHeader header;
    private ByteBuf out;

    @Setup
    public void setUp() {
        registry = new CodecRegistry(new DefaultWireFormat(), List.of(new PacketType(4, ChatLine.class, false)),
                List.of(Serializers.json(), Serializers.jsonb()));
        decoder = new PacketDecoder(registry);
        outbound = new Outbound(new ChatLine("u1a2b3c4d5", "alice", "hello there, how are you today?", 123456789L,
                42L, 1_764_000_000_000L), 2, serializer);
        ByteBuf frame = PooledByteBufAllocator.DEFAULT.heapBuffer();
        PacketEncoder.encode(registry, 1 << 20, outbound, frame);
        header = new FrameHeader(2, serializer, 4, frame.readableBytes() - 11);
        encodedBody = frame.slice(11, frame.readableBytes() - 11).retain();
        frame.release();
        out = PooledByteBufAllocator.DEFAULT.heapBuffer(512);
    }

    @TearDown
    public void tearDown() {
        encodedBody.release();
        out.release();
    }

    @Benchmark
    public int encode() {
        out.clear();
        PacketEncoder.encode(registry, 1 << 20, outbound, out);
        return out.readableBytes();
    }

    @Benchmark
    public Object decode() {
        Frame frame = new Frame(header, encodedBody.retainedDuplicate());
        try {
            return ((Inbound.Decoded) decoder.decode(frame)).packet();
        } finally {
            frame.release();
        }
    }
}
