package dev.switchboard.bench.baseline;

import dev.switchboard.bench.protocol.BodyFormat;
import dev.switchboard.bench.protocol.WireFrame;
import io.netty.channel.Channel;

/**
 * Writes to one connection from any thread, batching flushes.
 *
 * <p>Threading: {@link #deliver(Object)} may be called from any thread; it always hands the write to the channel's
 * event loop as a task, even from that loop itself. That keeps writes in the order the calls were made, which
 * {@link RelayUser} relies on to put per-recipient sequence numbers on the wire in order (a direct write from the
 * loop would overtake tasks already queued by other loops). The first write of a burst queues one flush task
 * behind it, so a fan-out of many deliveries costs one flush per recipient, not one per message. The remaining
 * state is confined to the event loop.
 */
final class Outbox {

    private final Channel channel;
    private final Runnable flushTask = this::flushNow;
    private boolean flushScheduled;
    private int version = 2;
    private BodyFormat format = BodyFormat.JSON;

    Outbox(Channel channel) {
        this.channel = channel;
    }

    /** Records the version and serializer of the latest inbound frame; replies use them. Event loop only. */
    void adopt(int version, BodyFormat format) {
        this.version = version;
        if (format != null) {
            this.format = format;
        }
    }

    /** Wraps a packet in this connection's version and serializer. Event loop only. */
    WireFrame frame(Object packet) {
        return new WireFrame(version, format, packet);
    }

    /** Queues a packet for this connection, in call order, flushed soon. Any thread. */
    void deliver(Object packet) {
        channel.eventLoop().execute(() -> write(packet));
    }

    private void write(Object packet) {
        if (!channel.isActive()) {
            return;
        }
        channel.write(frame(packet), channel.voidPromise());
        if (!flushScheduled) {
            flushScheduled = true;
            channel.eventLoop().execute(flushTask);
        }
    }

    private void flushNow() {
        flushScheduled = false;
        channel.flush();
    }
}
