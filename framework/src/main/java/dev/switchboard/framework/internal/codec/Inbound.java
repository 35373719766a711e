package dev.switchboard.framework.internal.codec;

import dev.switchboard.framework.Failure;
import dev.switchboard.framework.wire.FrameHeader;

/** What the packet decoder passes on: a decoded packet or the reason there is none. */
public sealed interface Inbound {

    FrameHeader header();

    /** A packet ready for its handler. */
    record Decoded(FrameHeader header, PacketType type, Object packet) implements Inbound {}

    /** A well-framed message that cannot be dispatched; answered through the error handler. */
    record Rejected(FrameHeader header, Failure failure) implements Inbound {}
}
