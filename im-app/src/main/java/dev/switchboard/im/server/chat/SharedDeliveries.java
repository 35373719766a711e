package dev.switchboard.im.server.chat;

import dev.switchboard.framework.SharedFrame;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.store.StoredMessage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The encoded frames of one message to many v2 devices: devices whose delivery would have the same bytes (the same
 * seq and serializer) share one encoding, written as a duplicate of it. In a group whose members receive the same
 * stream the whole fan-out costs one encoding; where seqs differ it costs one per distinct seq, never more than
 * encoding per device. Frames are encoded lazily on the devices' event loops and released once every loop's batch
 * has run.
 */
final class SharedDeliveries {

    private record Key(long seq, int serializerId) {}

    private final StoredMessage message;
    private final ConcurrentHashMap<Key, SharedFrame> frames = new ConcurrentHashMap<>();
    private final AtomicInteger batchesLeft = new AtomicInteger();

    SharedDeliveries(StoredMessage message) {
        this.message = message;
    }

    /** How many batches will call {@link #batchDone()}; set before the first is handed out. */
    void expectBatches(int batches) {
        batchesLeft.set(batches);
    }

    /** Writes the message to a v2 device, sharing the encoding with every device that gets the same bytes. */
    void post(DeviceSession device, long seq) {
        SharedFrame frame = frames.computeIfAbsent(new Key(seq, device.serializerId()),
                key -> device.encode(InboxPackets.message(message, seq, true)));
        device.post(frame);
    }

    /** One batch finished (or will never run); the last one releases the frames. */
    void batchDone() {
        if (batchesLeft.decrementAndGet() == 0) {
            frames.values().forEach(SharedFrame::release);
            frames.clear();
        }
    }
}
