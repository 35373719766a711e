package dev.switchboard.framework.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.framework.wire.DefaultWireFormat;
import dev.switchboard.framework.wire.WireFormat;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Arbitrary bytes, cut into arbitrary chunks, through {@link FrameDecoder}: it never throws, every frame it emits
 * is whole and within the body limit, and the frames (and whether the connection is closed) do not depend on how
 * the bytes were cut. Input: the first byte picks the chunk sizes and the wire format, the rest is the stream.
 */
class FrameDecoderFuzzTest {

    private static final int MAX_BODY = 64;

    @FuzzTest
    void framesDoNotDependOnHowTheStreamIsCut(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int pattern = input[0] & 0xFF;
        WireFormat format = (pattern & 0x80) != 0 ? new DefaultWireFormat().acceptingVersions(1, 2)
                : new DefaultWireFormat();
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        List<byte[]> chunks = new ArrayList<>();
        int size = 1 + (pattern & 0x0F);
        for (int at = 0, i = 0; at < stream.length; i++) {
            int length = Math.min(stream.length - at, (pattern & 0x40) != 0 ? 1 + (i * size) % 13 : size);
            chunks.add(Arrays.copyOfRange(stream, at, at + length));
            at += length;
        }
        assertThat(decode(format, chunks)).isEqualTo(decode(format, List.of(stream)));
    }

    /** What the decoder emitted, one line per frame, and "closed" if it closed the channel. */
    private static List<String> decode(WireFormat format, List<byte[]> chunks) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(format, MAX_BODY));
        List<String> seen = new ArrayList<>();
        try {
            for (byte[] chunk : chunks) {
                if (!channel.isOpen()) {
                    break;
                }
                channel.writeInbound(Unpooled.wrappedBuffer(chunk));
                channel.checkException();
                for (Frame frame; (frame = channel.readInbound()) != null; ) {
                    try {
                        assertThat(frame.content().readableBytes()).isEqualTo(frame.header().bodyLength())
                                .isBetween(0, MAX_BODY);
                        seen.add(frame.header() + " " + ByteBufUtil.hexDump(frame.content()));
                    } finally {
                        frame.release();
                    }
                }
            }
            if (!channel.isOpen()) {
                seen.add("closed");
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        return seen;
    }
}
