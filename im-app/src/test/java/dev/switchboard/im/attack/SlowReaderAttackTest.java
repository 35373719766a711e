package dev.switchboard.im.attack;

import static dev.switchboard.im.attack.Frames.CREATE_GROUP_RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;

import com.alibaba.fastjson2.JSONObject;
import dev.switchboard.framework.testing.Eventually;
import dev.switchboard.im.attack.CostMeter.Cost;
import dev.switchboard.im.attack.Swarm.Peer;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.server.session.DeliveryState;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.UserStore;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Vector 12: a logged-in client that never reads. Deliveries, which the store keeps, pause at the high water mark;
 * notices, which nothing keeps, are dropped while it is not writable (so others cannot get it closed); the server
 * stops reading it too, so its own requests cannot add replies; and it is closed by the idle timeout, since no
 * complete frame is read from it. (The 1 MiB bound above the high water mark is the backstop for what one read can
 * add: {@code ServerPipelineTest} checks it.)
 */
class SlowReaderAttackTest {

    private static final Duration ANSWERS = Duration.ofSeconds(30);
    /** Messages waiting for the sink when it logs in: about 10 MB, far more than any socket buffer. */
    private static final int BACKLOG = 600;
    private static final String TEXT = "x".repeat(16_000);
    /** Other members of each group the spammer creates with the sink, with the longest names allowed. */
    private static final int MEMBERS = 60;
    /** Groups created with the sink: 500 pushes of about 4 KB, 2 MB, twice the bound. */
    private static final int CREATES = 500;
    /** The idle timeout of {@link ImServerSettings#forTests()}, and some slack for a loaded machine. */
    private static final Duration IDLE_CLOSE = Duration.ofSeconds(15 + 10);
    /** What the server may hold for a connection that does not read: the 64 KiB high water mark, 1 MiB above it. */
    private static final long OUTBOUND_BOUND = (64 << 10) + (1 << 20);
    /** The sink's receive buffer: small, so that the server's side fills at once. */
    private static final int SINK_RECEIVE_BUFFER = 4_096;

    /**
     * A sink with a 10 MB backlog logs in and never reads: its deliveries pause with the server holding no more
     * than the bound for it, and it stays connected. Then a spammer creates 500 groups with it, each a 4 KB notice
     * that nothing keeps: dropped while the sink is not writable, so the sink stays connected. The sink's own
     * pipelined requests are not read while it is not writable, and it is closed by the idle timeout, with no line at
     * INFO; the server's memory for it is released; the bystander is served throughout.
     */
    @Test
    void aClientThatNeverReadsIsPausedOthersCannotGetItClosedAndTheIdleTimeoutEndsIt() throws Exception {
        ImServerSettings settings = ImServerSettings.forTests().withMessagesPerSecond(10_000);
        try (Arena arena = Arena.start(settings); Swarm swarm = new Swarm(arena.port())) {
            List<String> members = new ArrayList<>(List.of("sink"));
            for (int i = 0; i < MEMBERS; i++) {
                members.add(String.format("member-%02d-", i) + "m".repeat(54));
            }
            Peer registrar = swarm.connect();
            for (String name : members) {
                registrar.send(Frames.concat(Frames.login(2, name, "pw"), Frames.json(2, Frames.LOGOUT, "{}")));
            }
            swarm.runUntil("the members are registered", () -> registrar.received() == 2 * members.size(), ANSWERS);
            // The group whose member list the sink will ask for, created before the sink stops reading.
            Peer owner = swarm.connect().send(Frames.concat(Frames.login(2, "owner", "pw"),
                    Frames.json(2, Frames.CREATE_GROUP, JSONObject.of("userNameList", members))));
            swarm.runUntil("the sink's group is created", () -> owner.received(CREATE_GROUP_RESPONSE) == 1, ANSWERS);
            String groupId = Frames.field(owner.replies().stream()
                    .filter(reply -> reply.command() == CREATE_GROUP_RESPONSE).findFirst().orElseThrow(), "groupId");
            Peer spammer = swarm.connect().send(Frames.login(2, "spammer", "pw"));
            for (int i = 0; i < BACKLOG; i++) {
                spammer.send(Frames.json(2, Frames.MESSAGE,
                        JSONObject.of("toUserName", "sink", "message", TEXT, "clientMsgId", "b" + i)));
            }
            swarm.runUntil("the backlog is stored", () -> spammer.received() == 1 + BACKLOG, ANSWERS);
            assertThat(spammer.received(19)).as("SendAcks, other replies: %s", spammer.replies().stream()
                    .filter(reply -> reply.command() != 19).map(Swarm.Reply::text).toList()).isEqualTo(BACKLOG);
            String sinkId = arena.instance(UserStore.class).findByName("sink").toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).orElseThrow().userId();
            SessionRegistry sessions = arena.instance(SessionRegistry.class);

            arena.beginAttack();
            try (Socket sink = new Socket()) {
                sink.setReceiveBufferSize(SINK_RECEIVE_BUFFER);
                sink.connect(new InetSocketAddress("127.0.0.1", arena.port()), 10_000);
                sink.getOutputStream().write(Frames.login(2, "sink", "pw"));
                Eventually.until("the sink is logged in", () -> !sessions.devices(sinkId).isEmpty());
                DeviceSession device = sessions.devices(sinkId).get(0);
                Eventually.until("the sink's deliveries pause", () -> state(device) == DeliveryState.PAUSED);
                Cost paused = arena.cost();
                assertThat(sessions.isOnline(sinkId)).as("a paused reader stays connected").isTrue();
                Arena.assertRetainedBounded(paused, 1, 0, OUTBOUND_BOUND);

                byte[] create = Frames.json(2, Frames.CREATE_GROUP, JSONObject.of("userNameList", members));
                spammer.send(Frames.times(CREATES, create));
                swarm.runUntil("every group is created",
                        () -> spammer.received(CREATE_GROUP_RESPONSE) == CREATES, ANSWERS);
                Cost notified = arena.cost();
                assertThat(sessions.isOnline(sinkId)).as("notices to a reader that is not reading are dropped")
                        .isTrue();
                assertThat(arena.log().count("closing: slow consumer")).isZero();
                Arena.assertRetainedBounded(notified, 1, 0, OUTBOUND_BOUND);

                sink.getOutputStream().write(Frames.times(500,
                        Frames.json(2, Frames.LIST_MEMBERS, JSONObject.of("groupId", groupId))));
                long closeBy = System.nanoTime() + IDLE_CLOSE.toNanos();
                while (sessions.isOnline(sinkId) && System.nanoTime() < closeBy) {
                    TimeUnit.MILLISECONDS.sleep(50); // the idle timer runs on real time here
                }
                assertThat(sessions.isOnline(sinkId)).as("closed by the idle timeout").isFalse();
                Cost closed = arena.cost();

                assertThat(arena.log().count("closing: slow consumer")).isZero();
                Arena.assertRetainedBounded(closed, 1, 0, OUTBOUND_BOUND);
                arena.assertThreadsBounded(closed);
                arena.assertBystanderServed();
                arena.log().assertAtMostOnePerConnection(1);
                assertStreamEnds(sink);
            }
        }
    }

    /** The device's delivery state, read on its event loop. */
    private static DeliveryState state(DeviceSession device) {
        CompletableFuture<DeliveryState> state = new CompletableFuture<>();
        device.connection().execute(() -> state.complete(device.state()));
        return state.join();
    }

    /** Reads what the server had already sent: the stream must end (or be reset) within the socket timeout. */
    private static void assertStreamEnds(Socket socket) throws Exception {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 << 10];
        try {
            while (in.read(buffer) >= 0) {
                // discard
            }
        } catch (SocketTimeoutException open) {
            throw new AssertionError("the sink's connection is still open", open);
        } catch (SocketException reset) {
            // closed with data unread: an end too
        }
    }
}
