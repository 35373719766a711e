package dev.switchboard.bench.protocol;

/**
 * One frame, decoded: the header's version and serializer, and the packet. Inbound frames may carry an
 * {@link UnknownPacket} or {@link MalformedPacket}; outbound frames must carry a packet that has a {@link CommandCode}.
 *
 * @param version protocol version byte
 * @param format serializer of the body ({@code null} only for a {@link MalformedPacket} with an unknown serializer)
 * @param packet the packet record
 */
public record WireFrame(int version, BodyFormat format, Object packet) {}
