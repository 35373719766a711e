package dev.switchboard.framework.internal.codec;

/**
 * A packet on its way out, with the version and serializer to write it in.
 *
 * @param packet an instance of a registered packet class
 * @param version the version byte to write
 * @param serializerId the serializer to encode the body with
 */
public record Outbound(Object packet, int version, int serializerId) {}
