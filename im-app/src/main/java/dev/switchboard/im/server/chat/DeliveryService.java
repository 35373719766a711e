package dev.switchboard.im.server.chat;

import dev.switchboard.framework.Connection;
import dev.switchboard.im.protocol.GroupMessageResponse;
import dev.switchboard.im.protocol.Member;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.Appended;
import dev.switchboard.im.store.InboxEntry;
import dev.switchboard.im.store.MessageStore;
import dev.switchboard.im.store.StoredMessage;
import io.netty.channel.EventLoop;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes stored messages to recipients' devices in seq order, without gaps or repeats per device.
 *
 * <p>Each device has a cursor (the last seq written to it), kept on its event loop. A new login starts in
 * "syncing": the backlog after its start seq is read from the store page by page and written, while live messages
 * wait; then the waiting live messages are written in order. A live message that is not the cursor's successor is
 * dropped if older (already sent in the backlog) or, if it leaves a gap, triggers another backlog read: the store
 * is the source of truth, so ordering races between senders never reorder or lose a delivery.
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

    @Inject
    public DeliveryService(SessionRegistry sessions, MessageStore messages) {
        this.sessions = sessions;
        this.messages = messages;
    }

    /**
     * Offers a freshly stored message to every online device of its recipients. Any thread. A group message is
     * handed to each event loop as one task carrying all of that loop's devices: one task per device cost a queue
     * insertion and often a selector wake-up each, which dominated 1000-member group deliveries.
     */
    public void deliver(Appended appended) {
        StoredMessage message = appended.message();
        SharedDeliveries shared = appended.seqByRecipient().size() > 1 ? new SharedDeliveries(message) : null;
        Map<Executor, List<Runnable>> byLoop = new IdentityHashMap<>(4);
        for (Map.Entry<String, Long> recipient : appended.seqByRecipient().entrySet()) {
            List<DeviceSession> devices = sessions.devices(recipient.getKey());
            if (devices.isEmpty()) {
                continue;
            }
            InboxEntry entry = new InboxEntry(recipient.getKey(), recipient.getValue(), message);
            for (DeviceSession device : devices) {
                byLoop.computeIfAbsent(device.connection().eventLoop(), loop -> new ArrayList<>())
                        .add(() -> offer(device, entry, shared));
            }
        }
        if (shared != null) {
            shared.expectBatches(byLoop.size());
        }
        for (Map.Entry<Executor, List<Runnable>> batch : byLoop.entrySet()) {
            List<Runnable> offers = batch.getValue();
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
            if (batch.getKey() instanceof EventLoop loop && loop.inEventLoop()) {
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
    }

    /** Starts sending the device its backlog; live messages wait until it is done. Any thread. */
    public void startSync(DeviceSession device) {
        device.connection().eventLoop().execute(() -> fetch(device));
    }

    /** Records a v2 device's cumulative acknowledgement, never beyond what was written to it. Event loop. */
    public void acknowledge(DeviceSession device, long seq) {
        if (!device.v2()) {
            return; // v1 devices are acknowledged by successful writes, never by packets
        }
        recordAck(device, Math.min(seq, device.cursor()));
    }

    private void offer(DeviceSession device, InboxEntry entry, SharedDeliveries shared) {
        if (!device.connection().isOpen()) {
            return;
        }
        if (device.syncing()) {
            // Beyond the bound the entry is dropped here: the store still has it and the next page reads it.
            device.holdLive(entry, MAX_WAITING_LIVE);
            return;
        }
        long seq = entry.seq();
        if (seq <= device.cursor()) {
            return;
        }
        if (seq == device.cursor() + 1) {
            write(device, entry, shared);
            return;
        }
        device.syncing(true);
        fetch(device);
    }

    private void fetch(DeviceSession device) {
        if (device.fetching() || !device.connection().isOpen()) {
            return;
        }
        device.fetching(true);
        long after = device.cursor();
        messages.inboxAfter(device.userId(), after, PAGE).whenComplete((page, error) ->
                device.connection().eventLoop().execute(() -> {
                    device.fetching(false);
                    if (error != null) {
                        log.warn("[{}] backlog read failed for {}; closing so the client resyncs",
                                device.connection().id(), device, error);
                        device.connection().close("backlog read failed");
                        return;
                    }
                    onPage(device, page);
                }));
    }

    private void onPage(DeviceSession device, List<InboxEntry> page) {
        for (InboxEntry entry : page) {
            // Ascending from the store; a jump past cursor + 1 means older entries were pruned after their ack.
            if (entry.seq() > device.cursor()) {
                write(device, entry, null);
            }
        }
        Connection connection = device.connection();
        if (page.size() == PAGE) {
            if (connection.isWritable()) {
                fetch(device);
            } else {
                // Respect back-pressure: read the next page when the socket has drained a little.
                ((EventLoop) connection.eventLoop()).schedule(() -> fetch(device), 20, TimeUnit.MILLISECONDS);
            }
            return;
        }
        device.syncing(false);
        for (InboxEntry entry; (entry = device.nextHeldLive()) != null; ) {
            if (entry.seq() <= device.cursor()) {
                continue;
            }
            if (entry.seq() != device.cursor() + 1) {
                device.dropHeldLive();
                device.syncing(true);
                fetch(device);
                return;
            }
            write(device, entry, null);
        }
    }

    /** Writes one delivery and moves the cursor; {@code shared}, if given, supplies v2 bytes encoded once. */
    private void write(DeviceSession device, InboxEntry entry, SharedDeliveries shared) {
        long seq = entry.seq();
        device.advance(seq);
        if (device.v2()) {
            if (shared != null) {
                shared.post(device, seq);
            } else {
                device.post(toPacket(entry.message(), seq, true));
            }
            return;
        }
        device.send(toPacket(entry.message(), seq, false)).whenComplete((ok, error) -> {
            if (error == null) {
                device.connection().eventLoop().execute(() -> recordAck(device, seq));
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

    /** The delivery packet of a stored message, in the device's version. */
    static Object toPacket(StoredMessage message, long seq, boolean v2) {
        Long messageId = v2 ? message.messageId() : null;
        Long seqField = v2 ? seq : null;
        Long timestamp = v2 ? message.timestamp() : null;
        if (message.groupId() == null) {
            return new MessageResponse(message.senderId(), message.senderName(), message.text(), messageId, seqField,
                    timestamp);
        }
        return new GroupMessageResponse(message.groupId(), Member.of(message.senderId(), message.senderName()),
                message.text(), messageId, seqField, timestamp);
    }
}
