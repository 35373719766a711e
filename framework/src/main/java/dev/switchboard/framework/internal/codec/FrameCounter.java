package dev.switchboard.framework.internal.codec;

/**
 * Where the codec of one channel reports each whole frame it reads and writes, by command code (any int: codes no
 * packet has included, -1 for bytes written that are not a frame). The codec counts rather than a handler of its
 * own, so that metering adds no pipeline hop and no second header parse per frame; an implementation may hold the
 * counts until {@link #publish()}, which the decoder calls after each socket read and the pipeline on each flush that
 * reaches the socket.
 * One per channel, called on its event loop only.
 */
public interface FrameCounter {

    /** A whole frame of this command code was read (before the frame rate, decoding or the auth gate). */
    void frameReceived(int code);

    /** A frame of this command code was written. */
    void frameSent(int code);

    /** What was counted so far reaches the meters. */
    void publish();
}
