package dev.switchboard.framework.wire;

import dev.switchboard.framework.Command;
import dev.switchboard.framework.Connection;

/**
 * The decoded header of one frame: everything but the body.
 *
 * @param version protocol version byte, carried to {@link Connection#protocolVersion()}
 * @param serializerId which {@link Serializer} encoded the body
 * @param command the {@link Command#code()} of the packet
 * @param bodyLength body length in bytes
 */
public record FrameHeader(int version, int serializerId, int command, int bodyLength) {}
