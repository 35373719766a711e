package dev.switchboard.im.server.session;

/**
 * Told when {@link SessionRegistry} registers or forgets a logged-in device, on the event loop of the device's
 * connection; must not block. Presence is the one listener.
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

    /** The device was registered (a successful login). */
    void bound(DeviceSession device);

    /** The device's login ended (logout, another login on its connection, close). */
    void unbound(DeviceSession device);
}
