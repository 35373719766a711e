package dev.switchboard.framework.internal.codec;

/** Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. */
final class Utf8 {

    private Utf8() {}

    /**
     * The length of the well-formed UTF-8 sequence starting at {@code bytes[at]}, 1 to 4, or -1 if it is malformed
     * or does not end before {@code end}.
     */
    static int sequenceLength(byte[] bytes, int at, int end) {
        int lead = bytes[at] & 0xFF;
        if (lead < 0x80) {
            return 1;
        }
        if (lead < 0xC2) {
            return -1; // a continuation byte, or an overlong two-byte form
        }
        if (lead < 0xE0) {
            return at + 1 < end && continuation(bytes[at + 1]) ? 2 : -1;
        }
        if (lead < 0xF0) {
            if (at + 2 >= end) {
                return -1;
            }
            int second = bytes[at + 1] & 0xFF;
            int low = lead == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
            int high = lead == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
            return second >= low && second <= high && continuation(bytes[at + 2]) ? 3 : -1;
        }
        if (lead < 0xF5) {
            if (at + 3 >= end) {
                return -1;
            }
            int second = bytes[at + 1] & 0xFF;
            int low = lead == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
            int high = lead == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
            return second >= low && second <= high && continuation(bytes[at + 2]) && continuation(bytes[at + 3])
                    ? 4 : -1;
        }
        return -1;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
