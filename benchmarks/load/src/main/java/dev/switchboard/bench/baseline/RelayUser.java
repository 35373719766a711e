package dev.switchboard.bench.baseline;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

/**
 * A registered user: id, name, current resume token, per-recipient sequence counter and open connections.
 * Thread-safe: {@link #deliver} assigns the next sequence number and queues the packet on every connection under
 * the user's lock, so each connection receives sequence numbers in increasing order without gaps.
 */
final class RelayUser {

    private final String id;
    private final String name;
    private final List<Outbox> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger onlineUsers;
    private volatile String token;
    private long lastSeq;

    /** @param onlineUsers the directory's count of users with a connection, kept up to date here */
    RelayUser(String id, String name, AtomicInteger onlineUsers) {
        this.id = id;
        this.name = name;
        this.onlineUsers = onlineUsers;
    }

    String id() {
        return id;
    }

    String name() {
        return name;
    }

    String token() {
        return token;
    }

    void token(String token) {
        this.token = token;
    }

    synchronized void bind(Outbox outbox) {
        connections.add(outbox);
        if (connections.size() == 1) {
            onlineUsers.incrementAndGet();
        }
    }

    synchronized void unbind(Outbox outbox) {
        if (connections.remove(outbox) && connections.isEmpty()) {
            onlineUsers.decrementAndGet();
        }
    }

    /**
     * Delivers a sequenced packet to every connection of this user. No connection means the message is dropped:
     * the baseline keeps no offline store.
     */
    synchronized void deliver(LongFunction<Object> packetForSeq) {
        Object packet = packetForSeq.apply(++lastSeq);
        for (Outbox outbox : connections) {
            outbox.deliver(packet);
        }
    }

    /** Sends an unsequenced packet (a group notification) to every connection. */
    void notifyAll(Object packet) {
        for (Outbox outbox : connections) {
            outbox.deliver(packet);
        }
    }
}
