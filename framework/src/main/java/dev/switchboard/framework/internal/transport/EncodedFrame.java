package dev.switchboard.framework.internal.transport;

import dev.switchboard.framework.SharedFrame;
import io.netty.buffer.ByteBuf;

/** The {@link SharedFrame} of {@link ChannelConnection}: one encoded frame, reference-counted. Internal. */
final class EncodedFrame implements SharedFrame {

    private final ByteBuf frame;

    EncodedFrame(ByteBuf frame) {
        this.frame = frame;
    }

    /** A duplicate sharing the bytes, with its own reference, for one write. */
    ByteBuf retainedDuplicate() {
        return frame.retainedDuplicate();
    }

    @Override
    public void release() {
        frame.release();
    }
}
