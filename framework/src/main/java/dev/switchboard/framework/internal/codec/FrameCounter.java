package dev.switchboard.framework.internal.codec;

/**
 * Where the codec reports each whole frame it reads and writes, by command code (any int: codes no packet has
 * included). The codec counts rather than a handler of its own, so that metering adds no pipeline hop and no second
 * header parse per frame. Called on the channel's event loop; implementations must be thread-safe across channels.
 */
public interface FrameCounter {

    /** A whole frame of this command code was read (before the frame rate, decoding or the auth gate). */
    void frameReceived(int code);

    /** A frame of this command code was written; -1 when bytes written were not a frame of the wire format. */
    void frameSent(int code);
}
