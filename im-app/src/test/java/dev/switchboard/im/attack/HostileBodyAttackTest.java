package dev.switchboard.im.attack;

import static dev.switchboard.im.attack.Frames.ERROR;
import static dev.switchboard.im.attack.Frames.HEARTBEAT;
import static dev.switchboard.im.attack.Frames.HEARTBEAT_RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;

import com.alibaba.fastjson2.JSONB;
import com.alibaba.fastjson2.JSONObject;
import dev.switchboard.im.attack.CostMeter.Cost;
import dev.switchboard.im.attack.Swarm.Peer;
import dev.switchboard.im.attack.Swarm.Reply;
import dev.switchboard.im.server.ImServerSettings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Vectors 1 and 2: bodies built to make the parser work or allocate far beyond their size, sent by anonymous
 * connections (bodies are decoded before the auth gate sees them).
 */
class HostileBodyAttackTest {

    /** Attacking connections: enough that a per-connection cost (a thread, a retained body, a log line) shows. */
    private static final int ATTACKERS = 50;
    /** Hostile frames per connection in vector 1: about 400 KB each, 20 MB in all. */
    private static final int DEEP_FRAMES_EACH = 2;
    /** The reported attack: a heartbeat whose body is {"x": and 200,000 [. */
    private static final byte[] DEEP = ("{\"x\":" + "[".repeat(200_000)).getBytes(StandardCharsets.UTF_8);
    /** Login deadline, short so that the attackers are closed by it within the test. */
    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(2);
    /** How late after its deadline a connection may be closed on a loaded machine. */
    private static final Duration CLOSE_SLACK = Duration.ofSeconds(3);
    /** Memory per open attacking connection: a channel, its pipeline and an empty read buffer take a few KiB. */
    private static final long RETAINED_PER_CONNECTION = 64 << 10;
    /**
     * Server CPU per MiB of hostile JSON: the copy, the linear pre-scan and the answers take about 10 ms with the
     * leak detector at paranoid; work growing faster than the body (a list built per level) would cost far more.
     */
    private static final Duration CPU_PER_MIB = Duration.ofMillis(100);
    /**
     * Bytes the server may allocate per byte received: the body is copied once into an array for the scanner (about
     * 1.5 in all is measured); a parser materialising the nesting (a list per level) would allocate tens per byte.
     */
    private static final int ALLOCATED_PER_BYTE = 4;

    private static ImServerSettings settings() {
        return ImServerSettings.forTests().withTimeouts(Duration.ofSeconds(15), AUTH_TIMEOUT);
    }

    /**
     * Vector 1: fifty anonymous connections, half v1 and half v2, each send two heartbeats nested 200,000 levels
     * deep, then a plain heartbeat, and never log in. v2 gets BAD_REQUEST per hostile frame, v1 nothing; both get
     * the plain heartbeat answered on the same connection; the login deadline closes them all.
     */
    @Test
    void deeplyNestedJsonFromManyAnonymousConnections() throws Exception {
        try (Arena arena = Arena.start(settings()); Swarm swarm = new Swarm(arena.port())) {
            arena.beginAttack();
            for (int i = 0; i < ATTACKERS; i++) {
                int version = i % 2 + 1;
                swarm.connect().send(Frames.concat(
                        Frames.times(DEEP_FRAMES_EACH, Frames.frame(version, Frames.JSON_ID, HEARTBEAT, DEEP)),
                        Frames.heartbeat(version)));
            }
            swarm.runUntil("every attacker's plain heartbeat is answered",
                    () -> swarm.all(peer -> peer.received(HEARTBEAT_RESPONSE) == 1 || peer.isClosed()),
                    Duration.ofSeconds(30));
            Cost cost = arena.cost(); // with every attacker still connected

            List<Peer> peers = swarm.peers();
            for (int i = 0; i < peers.size(); i++) {
                Peer peer = peers.get(i);
                boolean v2 = i % 2 == 1;
                assertThat(peer.isClosed()).as("attacker %d closed before its deadline", i).isFalse();
                assertThat(peer.received()).as("frames to attacker %d", i).isEqualTo(v2 ? DEEP_FRAMES_EACH + 1 : 1);
                List<Reply> replies = peer.replies();
                if (v2) {
                    for (Reply error : replies.subList(0, DEEP_FRAMES_EACH)) {
                        assertThat(error.command()).isEqualTo(ERROR);
                        assertThat(Frames.field(error, "code")).isEqualTo("BAD_REQUEST");
                        assertThat(Frames.field(error, "requestCommand")).isEqualTo("17");
                    }
                }
                assertThat(replies.get(replies.size() - 1).command()).isEqualTo(HEARTBEAT_RESPONSE);
            }
            long mib = swarm.sent() >> 20;
            assertThat(Duration.ofNanos(cost.serverCpuNanos())).as("server CPU for %d MiB (%s)", mib, cost)
                    .isLessThanOrEqualTo(CPU_PER_MIB.multipliedBy(Math.max(1, mib)));
            assertThat(cost.serverAllocatedBytes()).as("allocated for %d bytes (%s)", swarm.sent(), cost)
                    .isLessThanOrEqualTo(ALLOCATED_PER_BYTE * swarm.sent());
            arena.assertThreadsBounded(cost);
            Arena.assertRetainedBounded(cost, ATTACKERS, RETAINED_PER_CONNECTION, swarm.sent());

            swarm.runUntil("the login deadline closes every attacker", () -> swarm.all(Peer::isClosed),
                    AUTH_TIMEOUT.plus(CLOSE_SLACK).plusSeconds(10));
            assertThat(swarm.peers()).allSatisfy(peer -> assertThat(peer.openFor())
                    .isLessThanOrEqualTo(AUTH_TIMEOUT.plus(CLOSE_SLACK)));
            arena.assertBystanderServed();
            arena.log().assertAtMostOnePerConnection(ATTACKERS);
        }
    }

    /** Rounds of the six JSONB bodies per connection in vector 2. */
    private static final int JSONB_ROUNDS = 10;
    /**
     * Bytes the server may allocate per hostile JSONB frame: decoding and the error reply take about 36 KiB with the
     * leak detector at paranoid; fastjson2 allocates a declared Latin-1 or UTF-8 string of 2^28 bytes (256 or
     * 512 MB) before it finds the bytes missing.
     */
    private static final long ALLOCATED_PER_JSONB_FRAME = 64 << 10;

    /**
     * Server CPU per hostile JSONB frame: refusing it and answering take about 0.2 ms; fastjson2 reading a declared
     * UTF-8 string of 2^28 bytes takes about 350 ms before it fails.
     */
    private static final Duration CPU_PER_JSONB_FRAME = Duration.ofMillis(2);

    /**
     * Vector 2: anonymous v2 connections send JSONB bodies of a dozen bytes declaring 2^28 bytes or elements:
     * Latin-1, UTF-8 and UTF-16 strings, a list the packet has, an array in a field it has not, binary data. Each
     * is BAD_REQUEST (in JSONB, as asked), costs little CPU, allocates nothing near its declared length, and logs
     * nothing.
     */
    @Test
    void jsonbBodiesDeclaringHugeLengths() throws Exception {
        byte[] huge = {0x48, 0x10, 0, 0, 0}; // int32 2^28
        List<byte[]> bodies = List.of(
                object("userName", 0x79, huge), // a Latin-1 string of 2^28 bytes
                object("userName", 0x7a, huge), // UTF-8
                object("userName", 0x7b, huge), // UTF-16
                object("userIdList", 0xa4, huge), // a list of 2^28 elements
                object("x", 0xa4, huge), // an array of 2^28 elements in a field nobody reads
                object("x", 0x91, huge)); // binary data of 2^28 bytes
        int[] commands = {Frames.LOGIN, Frames.LOGIN, Frames.LOGIN, Frames.CREATE_GROUP, HEARTBEAT, HEARTBEAT};
        ByteArrayOutputStream round = new ByteArrayOutputStream();
        for (int i = 0; i < bodies.size(); i++) {
            round.writeBytes(Frames.frame(2, Frames.JSONB_ID, commands[i], bodies.get(i)));
        }
        int frames = bodies.size() * JSONB_ROUNDS;
        try (Arena arena = Arena.start(ImServerSettings.forTests()); Swarm swarm = new Swarm(arena.port())) {
            arena.beginAttack();
            for (int i = 0; i < ATTACKERS; i++) {
                swarm.connect().send(Frames.times(JSONB_ROUNDS, round.toByteArray()));
            }
            swarm.runUntil("every hostile frame is answered",
                    () -> swarm.all(peer -> peer.received() == frames || peer.isClosed()), Duration.ofSeconds(30));
            Cost cost = arena.cost();

            for (Peer peer : swarm.peers()) {
                assertThat(peer.isClosed()).isFalse();
                assertThat(peer.received(ERROR)).isEqualTo(frames);
                List<Reply> replies = peer.replies();
                for (int i = 0; i < replies.size(); i++) {
                    Reply reply = replies.get(i);
                    assertThat(reply.command()).isEqualTo(ERROR);
                    assertThat(reply.serializer()).as("answered in JSONB").isEqualTo(Frames.JSONB_ID);
                    JSONObject error = JSONB.parseObject(reply.body());
                    assertThat(error.getString("code")).isEqualTo("BAD_REQUEST");
                    assertThat(error.getIntValue("requestCommand")).isEqualTo(commands[i % commands.length]);
                }
            }
            assertThat(cost.serverAllocatedBytes()).as("allocated for %d frames (%s)", frames * ATTACKERS, cost)
                    .isLessThanOrEqualTo(ALLOCATED_PER_JSONB_FRAME * frames * ATTACKERS);
            assertThat(Duration.ofNanos(cost.serverCpuNanos())).as("server CPU for %d frames (%s)", frames * ATTACKERS,
                    cost).isLessThanOrEqualTo(CPU_PER_JSONB_FRAME.multipliedBy((long) frames * ATTACKERS));
            arena.assertThreadsBounded(cost);
            Arena.assertRetainedBounded(cost, ATTACKERS, RETAINED_PER_CONNECTION, swarm.sent());
            arena.assertBystanderServed();
            arena.log().assertAtMostOnePerConnection(0); // v2 answers every one: nothing to log
        }
    }

    /** A JSONB object with one member: a value of this type tag followed by these bytes. */
    private static byte[] object(String name, int tag, byte[] value) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0xa6); // object
        body.write(73 + name.length()); // a short Latin-1 string
        body.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
        body.write(tag);
        body.writeBytes(value);
        body.write(0xa5); // end of object
        return body.toByteArray();
    }
}
