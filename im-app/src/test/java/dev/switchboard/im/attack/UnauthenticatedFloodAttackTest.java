package dev.switchboard.im.attack;

import static dev.switchboard.im.attack.Frames.ERROR;
import static org.assertj.core.api.Assertions.assertThat;

import com.alibaba.fastjson2.JSONObject;
import dev.switchboard.im.attack.CostMeter.Cost;
import dev.switchboard.im.attack.Swarm.Peer;
import dev.switchboard.im.server.ImServerSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Vector 6: anonymous connections flooding well-formed requests that need a login. */
class UnauthenticatedFloodAttackTest {

    /** Flooding connections. */
    private static final int ATTACKERS = 10;
    /** Frames each one pipelines: several times what the frame rate lets through before the login deadline. */
    private static final int FRAMES_EACH = 2_000;
    /**
     * Frames read per second per connection (bursts of twice that): low, so that the shaping shows at once and the
     * frames admitted (each costing about 0.1 ms of CPU with the leak detector at paranoid) leave the bystander room.
     */
    private static final int FRAME_RATE = 100;
    /** The text of each message: about 1 KB a frame, so that one read holds some 60 frames, not 850. */
    private static final String TEXT = "x".repeat(900);
    /**
     * Bytes one read brings at most (Netty's adaptive receive buffer stops growing there): a read already done when
     * the rate is reached is let through and paid for by waiting afterwards, so its frames come on top of the rate.
     */
    private static final int READ_BYTES = 64 << 10;
    /** Login deadline: short, so that the test is quick. */
    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(2);
    /** How late after its deadline a connection may be closed on a loaded machine. */
    private static final Duration CLOSE_SLACK = Duration.ofSeconds(2);
    /** Memory per connection: a channel, its pipeline and a read buffer. */
    private static final long RETAINED_PER_CONNECTION = 64 << 10;
    /**
     * Bytes the server may allocate per frame it answers: decoding, the refusal and its reply take about 36 KiB
     * with the leak detector at paranoid (as every test runs); a stack trace or a log line per frame would add more.
     */
    private static final long ALLOCATED_PER_FRAME = 64 << 10;

    /**
     * Ten anonymous connections each pipeline 2,000 messages. Every frame read is answered NOT_LOGGED_IN, but no
     * faster than the frame rate (100 a second, bursts of 200), so each connection gets at most 200, plus 100 per
     * second it stays open, plus one read's worth; the login deadline closes each after 2 s, with one line each.
     */
    @Test
    void anonymousRequestsAreRefusedShapedAndClosedAtTheLoginDeadline() throws Exception {
        ImServerSettings settings = ImServerSettings.forTests().withFramesPerSecond(FRAME_RATE)
                .withTimeouts(ImServerSettings.forTests().readerIdleTimeout(), AUTH_TIMEOUT);
        byte[] message = Frames.json(2, Frames.MESSAGE,
                JSONObject.of("toUserName", "bystander-bob", "message", TEXT, "clientMsgId", "m"));
        try (Arena arena = Arena.start(settings); Swarm swarm = new Swarm(arena.port())) {
            arena.beginAttack();
            for (int i = 0; i < ATTACKERS; i++) {
                swarm.connect().send(Frames.times(FRAMES_EACH, message));
            }
            swarm.runUntil("every attacker is closed", () -> swarm.all(Peer::isClosed),
                    AUTH_TIMEOUT.plus(CLOSE_SLACK).plusSeconds(10));
            Cost cost = arena.cost();

            long answered = 0;
            for (Peer peer : swarm.peers()) {
                Duration open = peer.openFor();
                long allowed = 2L * FRAME_RATE + FRAME_RATE * open.toMillis() / 1000 + READ_BYTES / message.length + 1;
                assertThat(peer.received()).as("frames answered in %s", open).isPositive()
                        .isLessThanOrEqualTo((int) allowed);
                assertThat(open).isLessThanOrEqualTo(AUTH_TIMEOUT.plus(CLOSE_SLACK));
                assertThat(peer.received(ERROR)).as("all refusals").isEqualTo(peer.received());
                assertThat(peer.replies()).allSatisfy(reply -> {
                    assertThat(Frames.field(reply, "code")).isEqualTo("NOT_LOGGED_IN");
                    assertThat(Frames.field(reply, "requestCommand")).isEqualTo("3");
                });
                answered += peer.received();
            }
            assertThat(cost.serverAllocatedBytes()).as("allocated for %d frames answered (%s)", answered, cost)
                    .isLessThanOrEqualTo(ALLOCATED_PER_FRAME * answered);
            arena.assertThreadsBounded(cost);
            Arena.assertRetainedBounded(cost, ATTACKERS, RETAINED_PER_CONNECTION, 0);
            arena.assertBystanderServed();
            arena.log().assertAtMostOnePerConnection(ATTACKERS);
        }
    }
}
