package dev.switchboard.framework.testing;

import dev.switchboard.framework.internal.scan.HandlerMethod;
import dev.switchboard.framework.internal.scan.ProtocolScanner;
import dev.switchboard.framework.internal.scan.ScannedProtocol;
import dev.switchboard.framework.wire.DefaultWireFormat;
import dev.switchboard.framework.wire.Serializers;
import java.util.List;

/**
 * An application's protocol as the startup scan finds it, from the protocol index the build wrote or from
 * ClassGraph: for a test that both find the same.
 */
public final class ProtocolScans {

    private ProtocolScans() {}

    /** Which end scans: handler classes marked for the other are left out. */
    public enum Side { SERVER, CLIENT }

    /** Where to look. */
    public enum Finder {
        /** The protocol index if it covers the packages, else ClassGraph, as a start does. */
        INDEX,
        /** ClassGraph only. */
        CLASSGRAPH
    }

    /**
     * What a scan found.
     *
     * @param source where: {@code "the protocol index"}, or ClassGraph and why
     * @param packets {@code "code Name"} per packet, by class name
     * @param handlers {@code "@Handles Owner.method(Packet[, Connection])"} per handler method
     */
    public record Found(String source, List<String> packets, List<String> handlers) {}

    /** Scans the packages (with JSON and JSONB, the default wire format). */
    public static Found scan(Finder finder, Side side, String... packages) {
        ScannedProtocol protocol = ProtocolScanner.scan(List.of(packages), new DefaultWireFormat(),
                List.of(Serializers.json(), Serializers.jsonb()),
                side == Side.SERVER ? ProtocolScanner.Side.SERVER : ProtocolScanner.Side.CLIENT,
                finder == Finder.INDEX ? ProtocolScanner.Finder.INDEX_OR_CLASSGRAPH : ProtocolScanner.Finder.CLASSGRAPH);
        return new Found(protocol.source(),
                protocol.packetTypes().stream().map(type -> type.code() + " " + type.type().getName()).toList(),
                protocol.handlers().stream().map(HandlerMethod::describe).toList());
    }
}
