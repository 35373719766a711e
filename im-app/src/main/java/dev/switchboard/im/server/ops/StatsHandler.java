package dev.switchboard.im.server.ops;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.Handles;
import dev.switchboard.im.protocol.ErrorCode;
import dev.switchboard.im.protocol.ProtocolVersion;
import dev.switchboard.im.protocol.StatsRequest;
import dev.switchboard.im.protocol.StatsResponse;
import dev.switchboard.im.server.error.ImException;
import dev.switchboard.im.server.session.SessionRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Server statistics for operators and the load generator, answered only to loopback peers. Blocking: it may run a
 * garbage collection and reads /proc.
 */
@Singleton
public final class StatsHandler {

    private final SessionRegistry sessions;
    private final ConnectionCounter connections;

    @Inject
    public StatsHandler(SessionRegistry sessions, ConnectionCounter connections) {
        this.sessions = sessions;
        this.connections = connections;
    }

    @Handles(blocking = true)
    public StatsResponse stats(StatsRequest request, Connection connection) {
        if (!ProtocolVersion.isV2(connection.protocolVersion())
                || !(connection.remoteAddress() instanceof InetSocketAddress address)
                || !address.getAddress().isLoopbackAddress()) {
            throw new ImException(ErrorCode.UNKNOWN_COMMAND, "unknown command 24");
        }
        if (Boolean.TRUE.equals(request.gc())) {
            System.gc();
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new StatsResponse(connections.open(), sessions.onlineUsers(), heap, residentSetBytes());
    }

    private static long residentSetBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** Counts open connections; a listener keeps it. */
    @Singleton
    public static final class ConnectionCounter {
        private final AtomicInteger open = new AtomicInteger();

        void opened() {
            open.incrementAndGet();
        }

        void closed() {
            open.decrementAndGet();
        }

        public int open() {
            return open.get();
        }
    }
}
