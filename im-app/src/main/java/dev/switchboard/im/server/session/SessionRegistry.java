package dev.switchboard.im.server.session;

import dev.switchboard.framework.Connection;
import dev.switchboard.im.protocol.ErrorCode;
import dev.switchboard.im.protocol.ProtocolVersion;
import dev.switchboard.im.server.error.ImException;
import dev.switchboard.framework.ConnectionAttribute;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** The logged-in devices of every online user. Thread-safe. */
@Singleton
public final class SessionRegistry {

    private static final ConnectionAttribute<DeviceSession> SESSION = ConnectionAttribute.named("im.session");

    private final ConcurrentHashMap<String, CopyOnWriteArrayList<DeviceSession>> byUser = new ConcurrentHashMap<>();
    private final AtomicInteger devices = new AtomicInteger(); // kept beside byUser so that a scrape need not walk it
    private final DeviceListener listener;

    /** A registry that tells no one (tests, metrics). */
    public SessionRegistry() {
        this(DeviceListener.NONE);
    }

    /** A registry that tells {@code listener} about every device registered and forgotten. */
    @Inject
    public SessionRegistry(DeviceListener listener) {
        this.listener = listener;
    }

    /**
     * Registers a logged-in device, ending an earlier login on the same connection, unless the account already has
     * {@code maxDevices} devices online. Event loop of the device's connection.
     *
     * @return false if the account is at its device limit (the device is not registered)
     */
    public boolean bind(DeviceSession session, int maxDevices) {
        unbind(session.connection());
        boolean[] added = {false};
        byUser.compute(session.userId(), (id, current) -> {
            CopyOnWriteArrayList<DeviceSession> list = current == null ? new CopyOnWriteArrayList<>() : current;
            if (list.size() < maxDevices) {
                list.add(session);
                added[0] = true;
            }
            return list.isEmpty() ? null : list;
        });
        if (added[0]) {
            devices.incrementAndGet();
            session.connection().attr(SESSION, session);
            listener.bound(session);
        } else {
            session.end();
        }
        return added[0];
    }

    /**
     * Forgets the connection's login, if any (logout, close, another login), and ends its deliveries: nothing of it
     * reaches the connection afterwards. Event loop of the connection.
     */
    public void unbind(Connection connection) {
        DeviceSession session = connection.attr(SESSION);
        if (session == null) {
            return;
        }
        connection.attr(SESSION, null);
        session.end();
        boolean[] removed = {false};
        byUser.computeIfPresent(session.userId(), (id, list) -> {
            if (list.remove(session)) {
                devices.decrementAndGet();
                removed[0] = true;
            }
            return list.isEmpty() ? null : list;
        });
        if (removed[0]) {
            listener.unbound(session);
        }
    }

    /** The session of a logged-in connection. */
    public static DeviceSession require(Connection connection) {
        DeviceSession session = connection.attr(SESSION);
        if (session == null) {
            throw new ImException(ErrorCode.NOT_LOGGED_IN, "not logged in");
        }
        return session;
    }

    /**
     * The session of a connection logged in with version 2, for a version-2 command that came in a version-2 frame.
     * A version-2 command on a version-1 login, or in a version-1 frame on any login, is refused as if the server did
     * not know it (UNKNOWN_COMMAND: version 1 then gets no reply, as before the command existed): its reply would be
     * a command a version-1 frame cannot carry. Handlers call this before anything else, so the connection's
     * version is still the frame's own (the framework sets it when it dispatches the frame).
     */
    public static DeviceSession requireV2(Connection connection) {
        DeviceSession session = require(connection);
        if (!session.v2()) {
            throw new ImException(ErrorCode.UNKNOWN_COMMAND, "a version 2 command on a version 1 login");
        }
        if (!ProtocolVersion.isV2(connection.protocolVersion())) {
            throw new ImException(ErrorCode.UNKNOWN_COMMAND, "a version 2 command in a version 1 frame");
        }
        return session;
    }

    /** The user's devices now (a snapshot). */
    public List<DeviceSession> devices(String userId) {
        List<DeviceSession> devices = byUser.get(userId);
        return devices == null ? List.of() : devices;
    }

    /**
     * Puts an ephemeral notice (presence) on the v2 devices of these users on this node that are still logged in
     * and writable when their event loop gets to it: never stored, and never queued behind a slow reader, as for a
     * device offline. Any thread.
     */
    public void notifyOnlineV2(Collection<String> userIds, Object notice) {
        post(userIds, null, device -> device.v2() ? notice : null);
    }

    /**
     * Puts an {@link OnlineNotice} on the devices of these users on this node, except the {@code except} connection
     * (the one whose request it answers; may be null), on the same terms as {@link #notifyOnlineV2}. Any thread.
     */
    public void notifyOnline(Collection<String> userIds, OnlineNotice notice, Connection except) {
        post(userIds, except, device -> notice.packetFor(device.v2()));
    }

    private void post(Collection<String> userIds, Connection except, Function<DeviceSession, Object> packetFor) {
        for (String userId : userIds) {
            for (DeviceSession device : devices(userId)) {
                Object packet = device.connection() == except ? null : packetFor.apply(device);
                if (packet != null) {
                    // On the device's loop, where sessions end: a device that logged out meanwhile gets nothing.
                    // Nor does one that is not reading: a notice is not stored (as for a device offline), and
                    // queueing it would let anyone who adds this user to groups close a slow connection.
                    device.connection().execute(() -> {
                        if (device.bound() && device.connection().isWritable()) {
                            device.post(packet);
                        }
                    });
                }
            }
        }
    }

    public boolean isOnline(String userId) {
        return byUser.containsKey(userId);
    }

    public int onlineUsers() {
        return byUser.size();
    }

    /** Logged-in devices of all accounts. */
    public int onlineDevices() {
        return devices.get();
    }
}
