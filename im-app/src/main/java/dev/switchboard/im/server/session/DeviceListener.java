package dev.switchboard.im.server.session;

import java.util.List;

/**
 * Told when {@link SessionRegistry} registers or forgets a logged-in device, on the event loop of the device's
 * connection; must not block. Presence listens, and in cluster mode the node's registry entries.
 */
public interface DeviceListener {

    /** Does nothing: for a registry without presence (tests, metrics). */
    DeviceListener NONE = new DeviceListener() {
        @Override
        public void bound(DeviceSession device) {
        }

        @Override
        public void unbound(DeviceSession device) {
        }
    };

    /** Tells each of {@code listeners}, in order. */
    static DeviceListener all(List<DeviceListener> listeners) {
        if (listeners.size() == 1) {
            return listeners.get(0);
        }
        List<DeviceListener> copy = List.copyOf(listeners);
        return new DeviceListener() {
            @Override
            public void bound(DeviceSession device) {
                copy.forEach(listener -> listener.bound(device));
            }

            @Override
            public void unbound(DeviceSession device) {
                copy.forEach(listener -> listener.unbound(device));
            }
        };
    }

    /** The device was registered (a successful login). */
    void bound(DeviceSession device);

    /** The device's login ended (logout, another login on its connection, close). */
    void unbound(DeviceSession device);
}
