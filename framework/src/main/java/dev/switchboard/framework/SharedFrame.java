package dev.switchboard.framework;

/**
 * A packet encoded once into a whole frame, for writing the same bytes to many connections: a group message, an
 * announcement. Made by {@link Connection#encode}, written by {@link Connection#post(SharedFrame)} (which writes a
 * copy of the reference and leaves the frame to its owner). Opaque: the bytes stay the framework's. Whoever encoded
 * it calls {@link #release()} once, after its last post; the bytes then live on only as long as writes still need
 * them. Thread-safe.
 */
public interface SharedFrame {

    /** Gives the frame back; posting it afterwards fails. Call exactly once. */
    void release();
}
