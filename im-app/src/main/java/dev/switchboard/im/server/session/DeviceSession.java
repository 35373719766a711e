package dev.switchboard.im.server.session;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.SharedFrame;
import dev.switchboard.im.protocol.ProtocolVersion;
import dev.switchboard.im.store.InboxEntry;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;

/**
 * One login of a user on one connection (a device), with its delivery state. The delivery fields are confined to the
 * connection's event loop; the session starts {@link DeliveryState#READING}, so live messages wait until the backlog
 * has been sent, and a new login on the connection is a new session: the old one is {@link DeliveryState#ENDED}.
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
    private DeliveryState state = DeliveryState.READING;
    private long highestOffered; // the highest live seq offered, written or not: a larger one than the cursor is owed
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

    /** Where the device's deliveries stand; event loop only. */
    public DeliveryState state() {
        return state;
    }

    /**
     * Changes the delivery state; event loop only.
     *
     * @throws IllegalStateException for a transition {@link DeliveryState} does not allow (from ENDED, for one)
     */
    public void moveTo(DeliveryState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException(this + ": delivery cannot move from " + state + " to " + next);
        }
        state = next;
        if (next != DeliveryState.READING) {
            live = null; // only READING holds live deliveries; elsewhere the store is read again instead
        }
    }

    /** Ends the session's deliveries for good (logout, re-login, close); idempotent; event loop only. */
    public void end() {
        if (state != DeliveryState.ENDED) {
            moveTo(DeliveryState.ENDED);
        }
    }

    /** Whether deliveries may still be written to this session; event loop only. */
    public boolean bound() {
        return state != DeliveryState.ENDED;
    }

    /** Moves the cursor after writing {@code seq}; event loop only. */
    public void advance(long seq) {
        this.cursor = seq;
    }

    /** Notes a live delivery offered to this device, written or not; event loop only. */
    public void offered(long seq) {
        if (seq > highestOffered) {
            highestOffered = seq;
        }
    }

    /** Forgets what was offered past the cursor: the store no longer has it (pruned after another device's ack). */
    public void forgetOwed() {
        highestOffered = cursor;
    }

    /** Whether a live delivery past the cursor was offered and not written (dropped while reading or paused). */
    public boolean owed() {
        return highestOffered > cursor;
    }

    /**
     * Keeps a live delivery while READING, unless {@code max} already wait (the store keeps it, and
     * {@link #owed()} says it must be read again); event loop only.
     */
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
