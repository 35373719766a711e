/** Framing and body codecs: bytes to {@code Frame}s to packets and back. Internal, not API. */
package dev.switchboard.framework.internal.codec;
