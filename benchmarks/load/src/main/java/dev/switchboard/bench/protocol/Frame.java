package dev.switchboard.bench.protocol;

/**
 * One frame, decoded: the header's version and serializer, and the packet. Inbound frames may carry an
 * {@link UnknownPacket} or {@link MalformedPacket}; outbound frames must carry a {@link PacketType} packet.
 *
 * @param version protocol version byte
 * @param format serializer of the body ({@code null} only for a {@link MalformedPacket} with an unknown serializer)
 * @param packet the packet record
 */
public record Frame(int version, BodyFormat format, Object packet) {}
