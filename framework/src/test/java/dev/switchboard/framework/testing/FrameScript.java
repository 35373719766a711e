package dev.switchboard.framework.testing;

import dev.switchboard.framework.wire.DefaultWireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads fuzzer bytes as a script of steps for a server pipeline speaking {@link DefaultWireFormat}: mostly
 * well-framed packets with a chosen version, serializer and command and arbitrary bodies (so the fuzzer's bytes
 * reach the decoders and handlers rather than the magic check), sometimes raw bytes (framing errors). A step:
 *
 * <pre>
 * | flags u8 | command u8 | body length u16 | body |   flags bit 7 clear: one frame
 * | flags u8 | length u8  | bytes          |          flags bit 7 set: raw bytes, as they are
 *
 * flags  bit 0: version 2 (else 1)       bit 1: JSONB (else JSON)
 *        bit 2: serializer 7 (unknown)   bit 3: version 3 (unsupported by the IM)
 *        bit 6: let the business executor run after this step (a blocking handler completes)
 * </pre>
 *
 * A length beyond the end of the input is cut to what is left. Seeds are written with {@link #frame} and
 * {@link #raw}.
 */
public final class FrameScript {

    /** Flag: version 2 rather than 1. */
    public static final int V2 = 0x01;
    /** Flag: JSONB rather than JSON. */
    public static final int JSONB = 0x02;
    /** Flag: serializer id 7, which nobody has. */
    public static final int UNKNOWN_SERIALIZER = 0x04;
    /** Flag: version byte 3. */
    public static final int V3 = 0x08;
    /** Flag: run blocking handlers after this step. */
    public static final int SETTLE = 0x40;
    private static final int RAW = 0x80;
    private static final int HEADER_LENGTH = 11;

    private FrameScript() {}

    /** What the script does, step by step. */
    public interface Player {
        /** Writes these bytes to the connection (the player owns the buffer). */
        void write(ByteBuf bytes);

        /** Lets the business executor and the event loop run what is queued. */
        void settle();
    }

    /** Plays the script. */
    public static void play(byte[] script, Player player) {
        int at = 0;
        while (at < script.length) {
            int flags = script[at++] & 0xFF;
            if ((flags & RAW) != 0) {
                int length = at < script.length ? Math.min(script[at++] & 0xFF, script.length - at) : 0;
                player.write(Unpooled.wrappedBuffer(script, at, length));
                at += length;
            } else {
                int command = at < script.length ? script[at++] & 0xFF : 0;
                int length = at + 1 < script.length ? (script[at] & 0xFF) << 8 | (script[at + 1] & 0xFF) : 0;
                at = Math.min(at + 2, script.length);
                length = Math.min(length, script.length - at);
                player.write(header(flags, command, length).writeBytes(script, at, length));
                at += length;
            }
            if ((flags & SETTLE) != 0) {
                player.settle();
            }
        }
        player.settle();
    }

    private static ByteBuf header(int flags, int command, int length) {
        int version = (flags & V3) != 0 ? 3 : (flags & V2) != 0 ? 2 : 1;
        int serializer = (flags & UNKNOWN_SERIALIZER) != 0 ? 7 : (flags & JSONB) != 0 ? 2 : 1;
        return Unpooled.buffer(HEADER_LENGTH + length).writeInt(DefaultWireFormat.DEFAULT_MAGIC)
                .writeByte(version).writeByte(serializer).writeByte(command).writeInt(length);
    }

    /** A frame step. */
    public static byte[] frame(int flags, int command, byte[] body) {
        if ((flags & RAW) != 0 || body.length > 0xFFFF) {
            throw new IllegalArgumentException("not a frame step: flags " + flags + ", " + body.length + " bytes");
        }
        ByteArrayOutputStream step = new ByteArrayOutputStream();
        step.write(flags);
        step.write(command);
        step.write(body.length >> 8);
        step.write(body.length);
        step.writeBytes(body);
        return step.toByteArray();
    }

    /** A frame step with a JSON (or any text) body. */
    public static byte[] frame(int flags, int command, String body) {
        return frame(flags, command, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A raw step: up to 255 bytes written as they are. */
    public static byte[] raw(int flags, byte[] bytes) {
        if (bytes.length > 0xFF) {
            throw new IllegalArgumentException("a raw step holds at most 255 bytes: " + bytes.length);
        }
        ByteArrayOutputStream step = new ByteArrayOutputStream();
        step.write(flags | RAW);
        step.write(bytes.length);
        step.writeBytes(bytes);
        return step.toByteArray();
    }

    /** The steps, one after the other. */
    public static byte[] script(byte[]... steps) {
        ByteArrayOutputStream script = new ByteArrayOutputStream();
        for (byte[] step : steps) {
            script.writeBytes(step);
        }
        return script.toByteArray();
    }
}
