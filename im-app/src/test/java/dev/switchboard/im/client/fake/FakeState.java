package dev.switchboard.im.client.fake;

import com.google.inject.Singleton;
import dev.switchboard.framework.Connection;
import dev.switchboard.im.protocol.DeliveryAck;
import dev.switchboard.im.protocol.LoginRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the fake server saw and how it behaves; one per injector. Thread-safe. */
@Singleton
public final class FakeState {

    /** The only password the fake accepts. */
    public static final String PASSWORD = "secret";

    public final List<LoginRequest> logins = new CopyOnWriteArrayList<>();
    public final List<Object> requests = new CopyOnWriteArrayList<>();
    public final List<Long> acks = new CopyOnWriteArrayList<>();
    final Set<String> tokens = ConcurrentHashMap.newKeySet();
    public volatile boolean ackMessages = true;
    public volatile boolean acceptTokens = true;
    /** How long each login waits before it is answered (a slow server, or one far away). */
    public volatile Duration loginReplyDelay = Duration.ZERO;
    volatile Connection connection;

    /** The last connection that logged in. */
    public Connection connection() {
        return connection;
    }

    /** Requests of one type, in arrival order. */
    public <T> List<T> requests(Class<T> type) {
        return requests.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The highest acknowledged seq, or -1. */
    public long lastAck() {
        return acks.isEmpty() ? -1 : acks.get(acks.size() - 1);
    }

    void ack(DeliveryAck ack) {
        acks.add(ack.seq());
    }
}
