package dev.switchboard.framework.internal.admin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;

/** What an admin pipeline on an embedded channel wrote, byte for byte. */
final class WrittenBytes {

    private WrittenBytes() {}

    /** Reads and releases everything written since the last call, as ISO-8859-1 text (one char per byte). */
    static String drain(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        for (Object message; (message = channel.readOutbound()) != null; ) {
            ByteBuf buffer = (ByteBuf) message;
            try {
                out.append(buffer.toString(StandardCharsets.ISO_8859_1));
            } finally {
                buffer.release();
            }
        }
        return out.toString();
    }
}
