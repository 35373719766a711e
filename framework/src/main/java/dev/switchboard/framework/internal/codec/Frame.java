package dev.switchboard.framework.internal.codec;

import dev.switchboard.framework.wire.FrameHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/** One framed message: its header and its body bytes. The receiver owns the body and must release the frame. */
public final class Frame extends DefaultByteBufHolder {

    private final FrameHeader header;

    public Frame(FrameHeader header, ByteBuf body) {
        super(body);
        this.header = header;
    }

    public FrameHeader header() {
        return header;
    }

    @Override
    public Frame replace(ByteBuf content) {
        return new Frame(header, content);
    }

    @Override
    public String toString() {
        return "Frame(" + header + ")";
    }
}
