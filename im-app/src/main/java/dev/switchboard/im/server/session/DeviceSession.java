package dev.switchboard.im.server.session;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.SharedFrame;
import dev.switchboard.im.protocol.ProtocolVersion;
import dev.switchboard.im.store.InboxEntry;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;

/**
 * One logged-in connection (a device) of a user, with its delivery state. The delivery fields are confined to the
 * connection's event loop; the session starts "syncing", so live messages wait until the backlog has been sent.
 */
public final class DeviceSession {

    private final Connection connection;
    private final String userId;
    private final String userName;
    private final boolean v2;
    private final int version;
    private final int serializerId;

    // Event-loop confined delivery state.
    private long cursor;
    private boolean syncing = true;
    private boolean fetching;
    private ArrayDeque<InboxEntry> live; // allocated on first use: most devices never have live messages waiting
    private long ackedUpTo;

    public DeviceSession(Connection connection, String userId, String userName, long startSeq) {
        this.connection = connection;
        this.userId = userId;
        this.userName = userName;
        this.version = connection.protocolVersion();
        this.serializerId = connection.serializerId();
        this.v2 = ProtocolVersion.isV2(version);
        this.cursor = startSeq;
        this.ackedUpTo = startSeq;
    }

    public Connection connection() {
        return connection;
    }

    public String userId() {
        return userId;
    }

    public String userName() {
        return userName;
    }

    /**
     * Pushes a packet in the version and serializer the device logged in with, whatever frames it sent since: a
     * delivery's fields were chosen for that version.
     */
    public CompletionStage<Void> send(Object packet) {
        return connection.send(packet, version, serializerId);
    }

    /** Encodes a packet once, in this device's version and serializer, for posting to every device like it. */
    public SharedFrame encode(Object packet) {
        return connection.encode(packet, version, serializerId);
    }

    /** Posts a frame encoded for devices of this one's version and serializer. */
    public void post(SharedFrame frame) {
        connection.post(frame);
    }

    /** The serializer the device logged in with. */
    public int serializerId() {
        return serializerId;
    }

    /** Like {@link #send} without a completion stage, for deliveries whose write result nobody waits for. */
    public void post(Object packet) {
        connection.post(packet, version, serializerId);
    }

    /** Whether the device speaks version 2 (acks, seq, error packets). */
    public boolean v2() {
        return v2;
    }

    /** The highest seq written to this device; event loop only. */
    public long cursor() {
        return cursor;
    }

    /** Whether the device is still receiving its backlog; event loop only. */
    public boolean syncing() {
        return syncing;
    }

    /** Marks the backlog done; event loop only. */
    public void syncing(boolean value) {
        this.syncing = value;
    }

    /** Moves the cursor after writing {@code seq}; event loop only. */
    public void advance(long seq) {
        this.cursor = seq;
    }

    /** Whether a backlog query is running; event loop only. */
    public boolean fetching() {
        return fetching;
    }

    public void fetching(boolean value) {
        this.fetching = value;
    }

    /** Keeps a live delivery until the backlog is done, unless {@code max} already wait; event loop only. */
    public boolean holdLive(InboxEntry entry, int max) {
        if (live == null) {
            live = new ArrayDeque<>();
        }
        if (live.size() >= max) {
            return false;
        }
        live.add(entry);
        return true;
    }

    /** The oldest held live delivery, or null; event loop only. */
    public InboxEntry nextHeldLive() {
        return live == null ? null : live.poll();
    }

    /** Drops the held live deliveries (the store still has them); event loop only. */
    public void dropHeldLive() {
        live = null;
    }

    /** The highest seq acknowledged on behalf of this device; event loop only. */
    public long ackedUpTo() {
        return ackedUpTo;
    }

    public void ackedUpTo(long seq) {
        this.ackedUpTo = seq;
    }

    @Override
    public String toString() {
        return userName + "(" + userId + ")@" + connection.id();
    }
}
