package dev.switchboard.im.server.chat;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.ConnectionLog;
import dev.switchboard.im.server.metrics.ImMetrics;
import dev.switchboard.im.server.session.DeliveryState;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.Appended;
import dev.switchboard.im.store.EntryKind;
import dev.switchboard.im.store.InboxEntry;
import dev.switchboard.im.store.MessageStore;
import dev.switchboard.im.store.StoredMessage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Writes stored messages to recipients' devices in seq order, without gaps or repeats per device.
 *
 * <p>Each device session has a cursor (the last seq written to it) and a {@link DeliveryState}, kept on its event
 * loop. A new login starts READING: the backlog after its start seq is read from the store page by page and written,
 * while live messages wait; then the waiting live messages are written in order and the device goes LIVE. A live
 * message that is not the cursor's successor is dropped if older (already sent in the backlog) or, if it leaves a
 * gap, triggers another backlog read: the store is the source of truth, so ordering races between senders never
 * reorder or lose a delivery.
 *
 * <p>Deliveries are bound to their session: once it ENDED (logout, another login on the connection, close) a page
 * still in flight is dropped, nothing more is written, and so nothing is recorded as delivered on its behalf.
 *
 * <p>Back-pressure is in bytes: no delivery is written while the connection is unwritable. The device PAUSES
 * (nothing held in memory, the store keeps every message) and reads again from its cursor once the connection has
 * drained, so a client that never reads costs at most one frame above the high water mark.
 *
 * <p>Version-1 devices cannot acknowledge, so a message counts as delivered to them once written successfully.
 */
@Singleton
public final class DeliveryService {

    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);
    private static final int PAGE = 512;
    private static final int MAX_WAITING_LIVE = 8_192;

    private final SessionRegistry sessions;
    private final MessageStore messages;
    private final ImMetrics metrics;
    private final InboxAnnouncer otherNodes;

    /** A single node's delivery service. */
    public DeliveryService(SessionRegistry sessions, MessageStore messages, ImMetrics metrics) {
        this(sessions, messages, metrics, InboxAnnouncer.SINGLE_NODE);
    }

    @Inject
    public DeliveryService(SessionRegistry sessions, MessageStore messages, ImMetrics metrics,
            InboxAnnouncer otherNodes) {
        this.sessions = sessions;
        this.messages = messages;
        this.metrics = metrics;
        this.otherNodes = otherNodes;
    }

    /**
     * Offers a freshly stored message to every online device of its recipients. Any thread. A group message is
     * handed to each event loop as one task carrying all of that loop's devices: one task per device cost a queue
     * insertion and often a selector wake-up each, which dominated 1000-member group deliveries.
     */
    public void deliver(Appended appended) {
        StoredMessage message = appended.message();
        // Only chat messages read the same for every recipient; an event names the conversation as each one sees it.
        SharedDeliveries shared = appended.seqByRecipient().size() > 1 && message.kind() == EntryKind.MESSAGE
                ? new SharedDeliveries(message) : null;
        IdentityHashMap<Executor, Batch> byLoop = new IdentityHashMap<>(4);
        for (Map.Entry<String, Long> recipient : appended.seqByRecipient().entrySet()) {
            List<DeviceSession> devices = sessions.devices(recipient.getKey());
            if (devices.isEmpty()) {
                continue;
            }
            InboxEntry entry = new InboxEntry(recipient.getKey(), recipient.getValue(), message);
            for (DeviceSession device : devices) {
                byLoop.computeIfAbsent(device.connection().eventLoop(), loop -> new Batch(device.connection()))
                        .offers().add(() -> offer(device, entry, shared));
            }
        }
        if (shared != null) {
            shared.expectBatches(byLoop.size());
        }
        for (Map.Entry<Executor, Batch> batch : byLoop.entrySet()) {
            List<Runnable> offers = batch.getValue().offers();
            Runnable run = () -> {
                try {
                    for (Runnable offer : offers) {
                        try {
                            offer.run();
                        } catch (RuntimeException e) { // one device's failure must not starve the rest
                            log.warn("delivery of message {} failed", message.messageId(), e);
                        }
                    }
                } finally {
                    if (shared != null) {
                        shared.batchDone();
                    }
                }
            };
            if (batch.getValue().anyConnection().inEventLoop()) {
                run.run(); // already on the devices' loop (a race with another loop shows as a gap)
            } else {
                try {
                    batch.getKey().execute(run);
                } catch (RejectedExecutionException shuttingDown) {
                    if (shared != null) {
                        shared.batchDone();
                    }
                }
            }
        }
        try {
            otherNodes.announce(appended.seqByRecipient()); // after this node's own: those come first
        } catch (RuntimeException e) { // a lost notice is a delay (the catch-up), never a reason to stop here
            log.debug("announcing message {} to the other nodes failed: {}", message.messageId(), e.toString());
        }
    }

    /**
     * Another node stored an entry with this seq in this user's inbox (or the catch-up found it): each local device
     * of the user that is behind reads from its cursor, now if it is LIVE, after its current page if it is READING,
     * once drained if PAUSED. Any thread.
     */
    public void noticed(String userId, long seq) {
        for (DeviceSession device : sessions.devices(userId)) {
            device.connection().execute(() -> {
                if (!device.bound() || seq <= device.cursor()) {
                    return;
                }
                device.offered(seq); // owed: a page in flight reads again when it ends
                if (device.state() == DeliveryState.LIVE) {
                    read(device);
                }
            });
        }
    }

    /**
     * Starts sending a freshly bound device its backlog; live messages wait until it is done. Event loop of the
     * device, right after the LoginResponse was written, so no delivery precedes it.
     */
    public void start(DeviceSession device) {
        read(device);
    }

    /** Records a v2 device's cumulative acknowledgement, never beyond what was written to it. Event loop. */
    public void acknowledge(DeviceSession device, long seq) {
        if (!device.v2()) {
            return; // v1 devices are acknowledged by successful writes, never by packets
        }
        recordAck(device, Math.min(seq, device.cursor()));
    }

    private void offer(DeviceSession device, InboxEntry entry, SharedDeliveries shared) {
        long seq = entry.seq();
        if (!device.bound() || seq <= device.cursor()) {
            return;
        }
        device.offered(seq);
        switch (device.state()) {
            case READING -> device.holdLive(entry, MAX_WAITING_LIVE); // beyond the bound: owed, read again later
            case PAUSED, ENDED -> { } // owed: read from the store once the connection drains
            case LIVE -> {
                if (!device.connection().isWritable()) {
                    pause(device);
                } else if (seq == device.cursor() + 1) {
                    write(device, entry, shared);
                    metrics.deliveredLive(entry.message().timestamp());
                } else {
                    read(device); // a gap: another sender's message is still on its way; the store has both
                }
            }
        }
    }

    /** Reads the backlog after the cursor, unless the connection is unwritable (then it waits to drain). */
    private void read(DeviceSession device) {
        if (!device.bound()) {
            return;
        }
        if (!device.connection().isWritable()) {
            pause(device);
            return;
        }
        device.moveTo(DeliveryState.READING);
        long after = device.cursor();
        messages.inboxAfter(device.userId(), after, PAGE).whenComplete((page, error) ->
                device.connection().execute(() -> onPage(device, after, page, error)));
    }

    /** Stops writing until the connection drains; the store keeps what is not written, so nothing is held here. */
    private void pause(DeviceSession device) {
        if (device.state() == DeliveryState.PAUSED || !device.bound()) {
            return;
        }
        device.moveTo(DeliveryState.PAUSED);
        device.connection().whenWritable(() -> {
            if (device.state() == DeliveryState.PAUSED) {
                read(device);
            }
        });
    }

    private void onPage(DeviceSession device, long after, List<InboxEntry> page, Throwable error) {
        if (device.state() != DeliveryState.READING || device.cursor() != after) {
            return; // the session ended (logout, re-login, close) or paused meanwhile: this page is not its to write
        }
        if (error != null) {
            ConnectionLog.at(log, Level.WARN, device.connection()).log(
                    "[{}] backlog read failed for {}; closing so the client resyncs: {}",
                    device.connection().id(), device, error.toString());
            device.connection().close("backlog read failed");
            return;
        }
        metrics.backlogPageRead();
        Connection connection = device.connection();
        for (InboxEntry entry : page) {
            // Ascending from the store; a jump past cursor + 1 means older entries were pruned after their ack.
            if (entry.seq() <= device.cursor()) {
                continue;
            }
            if (!connection.isWritable()) {
                pause(device); // at most one frame above the high water mark; the rest is read again later
                return;
            }
            write(device, entry, null);
            metrics.deliveredFromBacklog();
        }
        if (page.size() == PAGE) {
            read(device);
            return;
        }
        // Caught up to when the query ran: the live deliveries held meanwhile follow, if they are contiguous.
        for (InboxEntry entry; (entry = device.nextHeldLive()) != null; ) {
            if (entry.seq() <= device.cursor()) {
                continue;
            }
            if (entry.seq() != device.cursor() + 1 || !connection.isWritable()) {
                read(device);
                return;
            }
            write(device, entry, null);
            metrics.deliveredLive(entry.message().timestamp()); // held while the backlog was read: live, later
        }
        if (device.owed()) {
            if (page.isEmpty()) {
                // The store has nothing after the cursor, so what was offered beyond it is no longer there to read:
                // acknowledged by another device of the account and pruned (the memory store prunes at once). Reading
                // again would find nothing, forever, on this event loop.
                device.forgetOwed();
            } else {
                read(device); // a live delivery was dropped (held queue full), or another node stored more
                return;
            }
        }
        device.moveTo(DeliveryState.LIVE);
    }

    /** Writes one delivery and moves the cursor; {@code shared}, if given, supplies v2 bytes encoded once. */
    private void write(DeviceSession device, InboxEntry entry, SharedDeliveries shared) {
        long seq = entry.seq();
        device.advance(seq);
        if (device.v2()) {
            if (shared != null) {
                shared.post(device, seq);
            } else {
                device.post(InboxPackets.toPacket(entry, true));
            }
            return;
        }
        Object packet = InboxPackets.toPacket(entry, false);
        if (packet == null) {
            return; // nothing in v1 for this kind; acknowledged with the next message written after it
        }
        device.send(packet).whenComplete((ok, error) -> {
            if (error == null) {
                device.connection().execute(() -> recordAck(device, seq));
            }
        });
    }

    /** Advances the account's acknowledged seq on this device's behalf; event loop only. */
    private void recordAck(DeviceSession device, long upTo) {
        if (upTo > device.ackedUpTo()) {
            device.ackedUpTo(upTo);
            messages.acknowledge(device.userId(), upTo);
        }
    }

    /** The offers of one message to the devices of one event loop, and a connection of that loop to ask it by. */
    private record Batch(Connection anyConnection, List<Runnable> offers) {
        Batch(Connection anyConnection) {
            this(anyConnection, new ArrayList<>());
        }
    }
}
