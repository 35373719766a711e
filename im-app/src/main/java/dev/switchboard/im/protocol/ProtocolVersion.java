package dev.switchboard.im.protocol;

/** The protocol versions, carried in the frame header's version byte. */
public final class ProtocolVersion {

    /** The original tutorial protocol: commands 1 to 18, no acknowledgements. */
    public static final int V1 = 1;
    /**
     * Adds sequence numbers, acknowledgements, resume tokens and error packets (commands 19 to 27), typing notices
     * and presence (40 to 46).
     */
    public static final int V2 = 2;
    /** The highest command code a version-1 peer may receive. */
    public static final int V1_MAX_COMMAND = 18;

    private ProtocolVersion() {}

    /** Whether a connection speaking {@code version} has the version-2 additions. */
    public static boolean isV2(int version) {
        return version >= V2;
    }
}
