package dev.switchboard.im.server.session;

import dev.switchboard.framework.Connection;
import dev.switchboard.im.protocol.ErrorCode;
import dev.switchboard.im.server.error.ImException;
import io.netty.util.AttributeKey;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The logged-in devices of every online user. Thread-safe. */
@Singleton
public final class SessionRegistry {

    private static final AttributeKey<DeviceSession> SESSION = AttributeKey.valueOf("im.session");

    private final ConcurrentHashMap<String, CopyOnWriteArrayList<DeviceSession>> byUser = new ConcurrentHashMap<>();

    /** Registers a logged-in device, replacing an earlier login on the same connection. */
    public void bind(DeviceSession session) {
        unbind(session.connection());
        session.connection().attr(SESSION, session);
        byUser.compute(session.userId(), (id, devices) -> {
            CopyOnWriteArrayList<DeviceSession> list = devices == null ? new CopyOnWriteArrayList<>() : devices;
            list.add(session);
            return list;
        });
    }

    /** Forgets the connection's login, if any (logout, close). */
    public void unbind(Connection connection) {
        DeviceSession session = connection.attr(SESSION);
        if (session == null) {
            return;
        }
        connection.attr(SESSION, null);
        byUser.computeIfPresent(session.userId(), (id, devices) -> {
            devices.remove(session);
            return devices.isEmpty() ? null : devices;
        });
    }

    /** The session of a logged-in connection. */
    public static DeviceSession require(Connection connection) {
        DeviceSession session = connection.attr(SESSION);
        if (session == null) {
            throw new ImException(ErrorCode.NOT_LOGGED_IN, "not logged in");
        }
        return session;
    }

    /** The user's devices now (a snapshot). */
    public List<DeviceSession> devices(String userId) {
        List<DeviceSession> devices = byUser.get(userId);
        return devices == null ? List.of() : devices;
    }

    public boolean isOnline(String userId) {
        return byUser.containsKey(userId);
    }

    public int onlineUsers() {
        return byUser.size();
    }
}
