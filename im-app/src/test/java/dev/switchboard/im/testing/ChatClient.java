package dev.switchboard.im.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.TestAccess;
import dev.switchboard.framework.Client;
import dev.switchboard.framework.ClientTls;
import dev.switchboard.framework.Switchboard;
import dev.switchboard.im.protocol.DeliveryAck;
import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.LoginResponse;
import dev.switchboard.im.protocol.PresenceChanged;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A scripted IM client for end-to-end tests: a real framework client on loopback whose received packets queue up
 * in an {@link Inbox}. No reconnect, no heartbeats, so tests see exactly what the server sent.
 */
public final class ChatClient implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Client client;
    private final Inbox inbox;
    private final int version;
    private final Deque<PresenceChanged> presenceAside = new ArrayDeque<>();
    private String userId;
    private String userName;

    private ChatClient(Client client, int version) {
        this.client = client;
        this.inbox = TestAccess.injector(client).getInstance(Inbox.class);
        this.version = version;
    }

    /** Connects a client speaking {@code version} with JSON. */
    public static ChatClient connect(int port, int version) throws IOException {
        return connect(port, version, 1);
    }

    /** Connects a client speaking {@code version} with the given serializer. */
    public static ChatClient connect(int port, int version, int serializer) throws IOException {
        return connect(port, version, serializer, null);
    }

    /** Connects over TLS, trusting what {@code tls} says (null: plaintext), and logs in with a password. */
    public static ChatClient login(int port, int version, String name, ClientTls tls) throws Exception {
        ChatClient chat = connect(port, version, 1, tls);
        LoginResponse response = chat.loginWith(LoginRequest.withPassword(name, "pw-" + name));
        assertThat(response.success()).as("login of %s: %s", name, response.reason()).isTrue();
        return chat;
    }

    private static ChatClient connect(int port, int version, int serializer, ClientTls tls) throws IOException {
        Client client = Switchboard.client(c -> (tls == null ? c : c.tls(tls))
                .scan("dev.switchboard.im.protocol", "dev.switchboard.im.testing")
                .port(port)
                .version(version)
                .serializer(serializer)
                .readerIdleTimeout(Duration.ZERO)
                .heartbeat(Duration.ofHours(1), () -> new dev.switchboard.im.protocol.HeartBeatRequest())
                .noReconnect()).connect();
        return new ChatClient(client, version);
    }

    /** Connects and logs in with a password, asserting success. */
    public static ChatClient login(int port, int version, String name) throws Exception {
        ChatClient chat = connect(port, version);
        LoginResponse response = chat.loginWith(LoginRequest.withPassword(name, "pw-" + name));
        assertThat(response.success()).as("login of %s: %s", name, response.reason()).isTrue();
        return chat;
    }

    /** Sends a login and waits for its response. */
    public LoginResponse loginWith(LoginRequest request) throws Exception {
        send(request);
        LoginResponse response = next(LoginResponse.class);
        if (response.success()) {
            userId = response.userId();
            userName = response.userName();
        }
        return response;
    }

    public String userId() {
        return userId;
    }

    /** The user name of the last successful login. */
    public String name() {
        return userName;
    }

    public int version() {
        return version;
    }

    public void send(Object packet) {
        client.send(packet).toCompletableFuture().join();
    }

    /** The next packet received, whatever it is; fails after the wait. */
    public Object next() throws InterruptedException {
        Object packet = inbox.received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(packet).as("a packet within %s", WAIT).isNotNull();
        return packet;
    }

    /**
     * The next packet, which must be of this type. Presence notices are set aside when another type is asked for
     * (when a login's notice reaches a new co-member depends on timing, not on the test) and returned, in order, by
     * the next {@code next(PresenceChanged.class)}.
     */
    public <T> T next(Class<T> type) throws InterruptedException {
        if (type == PresenceChanged.class && !presenceAside.isEmpty()) {
            return type.cast(presenceAside.poll());
        }
        Object packet = next();
        while (packet instanceof PresenceChanged notice && type != PresenceChanged.class) {
            presenceAside.add(notice);
            packet = next();
        }
        assertThat(packet).isInstanceOf(type);
        return type.cast(packet);
    }

    /** The next {@code count} packets of this type, failing on any other. */
    public <T> List<T> next(Class<T> type, int count) throws InterruptedException {
        List<T> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(next(type));
        }
        return all;
    }

    /**
     * The next packet of this type; packets of other types that arrive before it are added to {@code skipped}, for
     * replies and pushes whose order is not promised (a reply and the requester's own copy of an event). Presence
     * notices are set aside as by {@link #next(Class)}.
     */
    public <T> T nextSkipping(Class<T> type, List<Object> skipped) throws InterruptedException {
        if (type == PresenceChanged.class && !presenceAside.isEmpty()) {
            return type.cast(presenceAside.poll());
        }
        for (int i = 0; i < 100; i++) {
            Object packet = next();
            if (type.isInstance(packet)) {
                return type.cast(packet);
            }
            if (packet instanceof PresenceChanged notice) {
                presenceAside.add(notice); // as in next(type): timing, not the test's concern
            } else {
                skipped.add(packet);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " among " + skipped);
    }

    /** Sends a request that must be refused and returns the ErrorResponse's code (other packets are skipped). */
    public String errorCodeOf(Object request) throws InterruptedException {
        send(request);
        return nextSkipping(dev.switchboard.im.protocol.ErrorResponse.class, new ArrayList<>()).code();
    }

    /** The next packet, or null if none arrives within {@code millis}. */
    public Object nextOrNull(long millis) throws InterruptedException {
        return inbox.received.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Asserts nothing more arrives within a short while. */
    public void expectNothing(Duration within) throws InterruptedException {
        Object packet = inbox.received.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(packet).as("no further packet").isNull();
    }

    /**
     * Asserts nothing more arrives within a short while but presence notices, which are set aside as by
     * {@link #next(Class)}: for tests about replies and deliveries, where when a co-member's presence arrives
     * depends on timing.
     */
    public void expectNothingButPresence(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        for (long left = within.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            Object packet = inbox.received.poll(left, TimeUnit.NANOSECONDS);
            if (packet instanceof PresenceChanged notice) {
                presenceAside.add(notice);
            } else {
                assertThat(packet).as("no further packet but presence").isNull();
                return;
            }
        }
    }

    /** The next group event (48) received, in arrival order; fails after the wait. */
    public dev.switchboard.im.protocol.GroupChanged nextEvent() throws InterruptedException {
        dev.switchboard.im.protocol.GroupChanged event = inbox.groupEvents.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("a group event within %s", WAIT).isNotNull();
        return event;
    }

    /** Asserts no group event arrives within a short while. */
    public void expectNoEvent(Duration within) throws InterruptedException {
        assertThat(inbox.groupEvents.poll(within.toMillis(), TimeUnit.MILLISECONDS)).as("no group event").isNull();
    }

    public void ack(long seq) {
        send(new DeliveryAck(seq));
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        client.close();
    }
}
