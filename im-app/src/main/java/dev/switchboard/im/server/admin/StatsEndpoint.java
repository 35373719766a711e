package dev.switchboard.im.server.admin;

import dev.switchboard.framework.AdminEndpoint;
import dev.switchboard.framework.AdminRequest;
import dev.switchboard.framework.AdminResponse;
import dev.switchboard.im.server.ops.ConnectionCounter;
import dev.switchboard.im.server.session.SessionRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code GET /stats}: open connections, online users, heap in use and resident set size, as one JSON object:
 * {@code {"connections":2,"onlineUsers":1,"heapUsedBytes":12345678,"rssBytes":98765432}}. {@code rssBytes} is 0
 * where the platform does not say (it is read from /proc).
 */
@Singleton
public final class StatsEndpoint implements AdminEndpoint {

    private final SessionRegistry sessions;
    private final ConnectionCounter connections;

    @Inject
    public StatsEndpoint(SessionRegistry sessions, ConnectionCounter connections) {
        this.sessions = sessions;
        this.connections = connections;
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        return AdminResponse.json(json());
    }

    /** The statistics as JSON; numbers only, so no escaping is needed. */
    String json() {
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return "{\"connections\":" + connections.open() + ",\"onlineUsers\":" + sessions.onlineUsers()
                + ",\"heapUsedBytes\":" + heap + ",\"rssBytes\":" + residentSetBytes() + "}";
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
}
