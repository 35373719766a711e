package dev.switchboard.framework.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.wire.DefaultWireFormat;
import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.framework.fixtures.echo.Packets.Echo;
import dev.switchboard.framework.fixtures.echo.Packets.Ping;
import dev.switchboard.framework.testing.WireCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    private static final int MAX_BODY = 64;
    private static final WireCodec codec = WireCodec.scan(new DefaultWireFormat(),
            "dev.switchboard.framework.fixtures.echo");

    private EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(new DefaultWireFormat(), MAX_BODY));

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private List<Frame> frames() {
        List<Frame> frames = new ArrayList<>();
        for (Frame frame; (frame = channel.readInbound()) != null; ) {
            frames.add(frame);
        }
        return frames;
    }

    private static String body(Frame frame) {
        try {
            return frame.content().toString(StandardCharsets.UTF_8);
        } finally {
            frame.release();
        }
    }

    @Test
    void reassemblesTwoFramesSplitAtEveryByteBoundary() {
        byte[] first = codec.bytes(new Echo("one"));
        byte[] second = codec.bytes(new Ping(2));
        byte[] stream = new byte[first.length + second.length];
        System.arraycopy(first, 0, stream, 0, first.length);
        System.arraycopy(second, 0, stream, first.length, second.length);

        for (int split = 1; split < stream.length; split++) {
            channel = new EmbeddedChannel(new FrameDecoder(new DefaultWireFormat(), MAX_BODY));
            channel.writeInbound(Unpooled.wrappedBuffer(stream, 0, split));
            channel.writeInbound(Unpooled.wrappedBuffer(stream, split, stream.length - split));

            List<Frame> frames = frames();
            assertThat(frames).as("split at %d", split).hasSize(2);
            assertThat(frames.get(0).header()).isEqualTo(new FrameHeader(1, 1, 5, first.length - 11));
            assertThat(body(frames.get(0))).isEqualTo("{\"text\":\"one\"}");
            assertThat(frames.get(1).header().command()).isEqualTo(3);
            assertThat(body(frames.get(1))).isEqualTo("{\"n\":2}");
            assertThat(channel.isOpen()).isTrue();
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void reassemblesAFrameFedOneByteAtATime() {
        byte[] frame = codec.bytes(new Echo("bytewise"));
        for (int i = 0; i < frame.length - 1; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(frame, i, 1));
            assertThat(frames()).isEmpty();
        }
        channel.writeInbound(Unpooled.wrappedBuffer(frame, frame.length - 1, 1));
        assertThat(frames()).singleElement().satisfies(f -> assertThat(body(f)).contains("bytewise"));
    }

    @Test
    void splitsCoalescedFrames() {
        ByteBuf all = Unpooled.buffer();
        for (int i = 0; i < 5; i++) {
            all.writeBytes(codec.bytes(new Ping(i)));
        }
        channel.writeInbound(all);
        List<Frame> frames = frames();
        assertThat(frames).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(body(frames.get(i))).isEqualTo("{\"n\":" + i + "}");
        }
    }

    @Test
    void acceptsAnEmptyBodyAndTheLargestAllowed() {
        channel.writeInbound(codec.raw(new FrameHeader(1, 1, 5, 0), new byte[0]));
        channel.writeInbound(codec.raw(new FrameHeader(1, 1, 5, MAX_BODY), new byte[MAX_BODY]));
        List<Frame> frames = frames();
        assertThat(frames).extracting(f -> f.content().readableBytes()).containsExactly(0, MAX_BODY);
        frames.forEach(Frame::release);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void closesOnBadMagicAsSoonAsFourBytesArrived() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'G', 'E', 'T'}));
        assertThat(channel.isOpen()).as("three bytes cannot be judged yet").isTrue();

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {' '}));
        assertThat(channel.isOpen()).isFalse();
        assertThat(frames()).isEmpty();
    }

    @Test
    void closesOnAnOversizedLengthWithoutWaitingForTheBody() {
        channel.writeInbound(codec.raw(new FrameHeader(1, 1, 5, MAX_BODY + 1), new byte[0]));
        assertThat(channel.isOpen()).isFalse();
        assertThat(frames()).isEmpty();
    }

    @Test
    void closesOnANegativeLength() {
        channel.writeInbound(codec.raw(new FrameHeader(1, 1, 5, -1), new byte[0]));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesOnTheHugestLengthEvenWithAHugeLimit() {
        channel = new EmbeddedChannel(new FrameDecoder(new DefaultWireFormat(), Integer.MAX_VALUE - 5));
        channel.writeInbound(codec.raw(new FrameHeader(1, 1, 5, Integer.MAX_VALUE), new byte[0]));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void waitsForTheBodyWhenHeaderPlusLengthOverflowsAnInt() {
        channel = new EmbeddedChannel(new FrameDecoder(new DefaultWireFormat(), Integer.MAX_VALUE - 5));
        channel.writeInbound(codec.raw(new FrameHeader(1, 1, 5, Integer.MAX_VALUE - 6), new byte[] {1, 2, 3}));
        assertThat(channel.isOpen()).isTrue();
        assertThat(frames()).isEmpty();
    }

    @Test
    void goodFramesBeforeAViolationArePassedOnAndNothingAfterIt() {
        ByteBuf all = Unpooled.buffer();
        all.writeBytes(codec.bytes(new Ping(1)));
        all.writeBytes(new byte[] {0, 0, 0, 0});
        all.writeBytes(codec.bytes(new Ping(2)));
        channel.writeInbound(all);

        assertThat(frames()).singleElement().satisfies(f -> assertThat(body(f)).isEqualTo("{\"n\":1}"));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void decodesNothingOnceTheChannelWasClosedByALaterHandler() {
        List<String> seen = new ArrayList<>();
        channel = new EmbeddedChannel(new FrameDecoder(new DefaultWireFormat(), MAX_BODY),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        seen.add(body((Frame) msg));
                        ctx.close(); // e.g. a handler that logs out and closes, or the auth timeout
                    }
                });
        ByteBuf all = Unpooled.buffer();
        all.writeBytes(codec.bytes(new Ping(1)));
        all.writeBytes(codec.bytes(new Ping(2)));
        all.writeBytes(codec.bytes(new Ping(3)));
        channel.writeInbound(all);

        assertThat(seen).containsExactly("{\"n\":1}");
    }
}
