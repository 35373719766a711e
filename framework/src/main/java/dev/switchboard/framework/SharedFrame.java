package dev.switchboard.framework;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A packet encoded once into a whole frame, for writing the same bytes to many connections: a group message, an
 * announcement. Made by {@link Connection#encode}, written by {@link Connection#post(SharedFrame)} (which writes a
 * duplicate and leaves the frame to its owner). Reference-counted: whoever encodes it releases it after the last
 * post; the bytes then live on only as long as writes still need them.
 */
public final class SharedFrame extends DefaultByteBufHolder {

    /** Wraps an encoded frame; the new holder owns {@code frame}. */
    public SharedFrame(ByteBuf frame) {
        super(frame);
    }

    @Override
    public SharedFrame replace(ByteBuf content) {
        return new SharedFrame(content);
    }
}
