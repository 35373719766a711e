package dev.switchboard.im.attack;

import static dev.switchboard.im.attack.Frames.HEARTBEAT;
import static dev.switchboard.im.attack.Frames.HEARTBEAT_RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.attack.CostMeter.Cost;
import dev.switchboard.im.attack.Swarm.Peer;
import dev.switchboard.im.server.ImServerSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Vectors 3 and 5: frames that would make the server hold a buffer, by their declared length or by never ending. */
class FramingAttackTest {

    /** Attacking connections: enough that a per-connection buffer or thread shows. */
    private static final int ATTACKERS = 50;
    /** The server's largest body (the default). */
    private static final int MAX_BODY = 1 << 20;
    /** What each attacker of vector 3 sends after its header: a whole maximal body, which must never be buffered. */
    private static final byte[] BODY = new byte[MAX_BODY];
    /** How soon a connection declaring too long a body is closed: at its header, so only the round trip counts. */
    private static final Duration HEADER_CLOSE = Duration.ofSeconds(2);
    /**
     * Memory per attacking connection: a channel, its pipeline, and a read buffer or two (64 KiB at most each)
     * taken before the header was judged; buffering what follows the header would take 1 MiB.
     */
    private static final long HELD_PER_CONNECTION = 128 << 10;

    /**
     * Vector 3: fifty connections each send a header declaring one byte more than the largest body (or 2^31 - 1, or
     * a negative length), then a whole maximal body. Each is closed at its header, with one INFO line, and the body
     * is not buffered.
     */
    @Test
    void oversizedFrameHeadersAreClosedWithoutBuffering() throws Exception {
        int[] lengths = {MAX_BODY + 1, Integer.MAX_VALUE, -1};
        try (Arena arena = Arena.start(ImServerSettings.forTests()); Swarm swarm = new Swarm(arena.port())) {
            arena.beginAttack();
            for (int i = 0; i < ATTACKERS; i++) {
                swarm.connect().send(Frames.header(i % 2 + 1, Frames.JSON_ID, Frames.MESSAGE, lengths[i % 3]))
                        .send(BODY);
            }
            swarm.runUntil("every attacker is closed", () -> swarm.all(Peer::isClosed), Duration.ofSeconds(20));
            Cost cost = arena.cost();

            assertThat(swarm.peers()).allSatisfy(peer -> {
                assertThat(peer.openFor()).isLessThanOrEqualTo(HEADER_CLOSE);
                assertThat(peer.received()).as("frames received").isZero();
            });
            arena.assertThreadsBounded(cost);
            Arena.assertRetainedBounded(cost, ATTACKERS, HELD_PER_CONNECTION, ATTACKERS * HELD_PER_CONNECTION);
            arena.assertBystanderServed();
            arena.log().assertAtMostOnePerConnection(ATTACKERS);
            assertThat(arena.log().count("outside 0..1048576")).as("closing lines naming the limit")
                    .isEqualTo(ATTACKERS);
        }
    }

    /** Idle timeout of vector 5: short, so that the test is quick; it is also the deadline for finishing a frame. */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    /** How late after its deadline a connection may be closed on a loaded machine. */
    private static final Duration CLOSE_SLACK = Duration.ofSeconds(2);
    /** One byte every this often: far more often than the idle timeout, as a slowloris would. */
    private static final Duration TRICKLE = Duration.ofMillis(100);
    /** The body the slowloris frames declare: within the limit, so only the deadline can stop them. */
    private static final int DECLARED = 64 << 10;
    /** Memory per trickling connection: a channel, its pipeline and the few bytes of its frame. */
    private static final long RETAINED_PER_TRICKLER = 64 << 10;

    /**
     * Vector 5: fifty connections start a frame and trickle its body one byte every 100 ms; half of them first
     * send a complete heartbeat (and get its answer). Trickled bytes do not count as activity: each is closed by
     * the idle timeout (2 s) after its last complete frame, long before the login deadline (10 s), holding
     * little meanwhile, without a log line.
     */
    @Test
    void aTrickledFrameIsClosedByTheFinishDeadline() throws Exception {
        ImServerSettings settings = ImServerSettings.forTests()
                .withTimeouts(IDLE_TIMEOUT, ImServerSettings.forTests().authTimeout());
        byte[] header = Frames.header(2, Frames.JSON_ID, HEARTBEAT, DECLARED);
        byte[] body = new byte[DECLARED];
        try (Arena arena = Arena.start(settings); Swarm swarm = new Swarm(arena.port())) {
            arena.beginAttack();
            for (int i = 0; i < ATTACKERS; i++) {
                Peer peer = swarm.connect();
                if (i % 2 == 1) {
                    peer.send(Frames.heartbeat(2));
                }
                peer.send(header).trickle(body, TRICKLE);
            }
            swarm.runFor(IDLE_TIMEOUT.dividedBy(2));
            Cost cost = arena.cost(); // every trickler still connected, unless the machine is very slow
            swarm.runUntil("every trickler is closed", () -> swarm.all(Peer::isClosed),
                    IDLE_TIMEOUT.plus(CLOSE_SLACK).plusSeconds(10));

            List<Peer> peers = swarm.peers();
            for (int i = 0; i < peers.size(); i++) {
                Peer peer = peers.get(i);
                assertThat(peer.openFor()).as("trickler %d, %d bytes trickled", i, peer.trickled())
                        .isLessThanOrEqualTo(IDLE_TIMEOUT.plus(CLOSE_SLACK));
                assertThat(peer.trickled()).as("bytes trickled before the close").isGreaterThanOrEqualTo(5);
                assertThat(peer.received(HEARTBEAT_RESPONSE)).isEqualTo(i % 2);
            }
            arena.assertThreadsBounded(cost);
            Arena.assertRetainedBounded(cost, ATTACKERS, RETAINED_PER_TRICKLER, swarm.sent());
            arena.assertBystanderServed();
            arena.log().assertAtMostOnePerConnection(ATTACKERS);
        }
    }
}
