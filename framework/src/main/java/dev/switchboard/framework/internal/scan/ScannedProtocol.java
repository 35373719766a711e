package dev.switchboard.framework.internal.scan;

import dev.switchboard.framework.internal.codec.PacketType;
import java.time.Duration;
import java.util.List;

/**
 * The result of a successful scan.
 *
 * @param packetTypes every {@code @Command} class, by code
 * @param handlers every {@code @Handles} method
 * @param took how long the scan and validation took
 */
public record ScannedProtocol(List<PacketType> packetTypes, List<HandlerMethod> handlers, Duration took) {}
