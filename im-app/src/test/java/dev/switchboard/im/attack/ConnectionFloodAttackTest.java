package dev.switchboard.im.attack;

import static dev.switchboard.im.attack.Frames.HEARTBEAT_RESPONSE;
import static dev.switchboard.im.attack.Frames.LOGIN_RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.attack.CostMeter.Cost;
import dev.switchboard.im.attack.Swarm.Peer;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.testing.RawConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Vector 4: one address opening more connections than it may hold, or faster than it may open them. The attacker
 * connects from 127.0.0.3, a second client host from 127.0.0.2, the bystander from 127.0.0.1.
 */
class ConnectionFloodAttackTest {

    private static final String ATTACKER = "127.0.0.3";
    private static final String OTHER_HOST = "127.0.0.2";
    /** Connections one address may hold: low, so that the attack is small. */
    private static final int MAX_PER_ADDRESS = 20;
    /** Connections the attacker tries to hold: well over the limit. */
    private static final int HELD = 50;
    /** New connections per second per address in the rate test (bursts of twice this). */
    private static final int RATE = 10;
    /** Connections the attacker opens and closes one after the other in the rate test. */
    private static final int CHURN = 100;
    /** Memory per connection held open: a channel and its pipeline take a few KiB. */
    private static final long RETAINED_PER_CONNECTION = 64 << 10;
    /** Refusals are logged once per this interval for the whole server, whatever their number. */
    private static final Duration REFUSAL_LOG_INTERVAL = Duration.ofSeconds(10);

    /**
     * Fifty connections from one address at once against a limit of twenty: twenty are served, thirty closed at
     * once without a reply; the refusals cost one WARN line in all; another address still logs in.
     */
    @Test
    void anAddressHoldsNoMoreConnectionsThanItsLimit() throws Exception {
        ImServerSettings settings = ImServerSettings.forTests().withConnectionsPerIp(MAX_PER_ADDRESS, 0);
        try (Arena arena = Arena.start(settings); Swarm swarm = new Swarm(arena.port())) {
            long began = System.nanoTime();
            arena.beginAttack();
            for (int i = 0; i < HELD; i++) {
                swarm.connect(ATTACKER).send(Frames.heartbeat(2));
            }
            swarm.runUntil("each connection is answered or closed",
                    () -> swarm.all(peer -> peer.received() > 0 || peer.isClosed()), Duration.ofSeconds(20));
            Peer other = swarm.connect(OTHER_HOST).send(Frames.login(2, "other-host", "pw"));
            swarm.runUntil("the other host's login is answered", () -> other.received() > 0, Duration.ofSeconds(10));
            Cost cost = arena.cost(); // twenty attackers still connected

            List<Peer> attackers = swarm.peers().subList(0, HELD);
            assertThat(attackers.stream().filter(peer -> peer.received(HEARTBEAT_RESPONSE) == 1 && !peer.isClosed()))
                    .as("attackers served").hasSize(MAX_PER_ADDRESS);
            assertThat(attackers.stream().filter(peer -> peer.isClosed() && peer.received() == 0))
                    .as("attackers refused").hasSize(HELD - MAX_PER_ADDRESS);
            assertThat(other.replies().get(0).command()).isEqualTo(LOGIN_RESPONSE);
            assertThat(Frames.field(other.replies().get(0), "success")).as("the other host logs in").isEqualTo("true");
            arena.assertThreadsBounded(cost);
            Arena.assertRetainedBounded(cost, HELD, RETAINED_PER_CONNECTION, 0);
            arena.assertBystanderServed();
            assertRefusalLinesBounded(arena, began);
        }
    }

    /**
     * A hundred connections opened and closed one after the other from one address, against ten a second with
     * bursts of twenty: no more are served than the bucket allows for the time taken, the rest are closed at once;
     * another address still logs in meanwhile.
     */
    @Test
    void anAddressOpensNoFasterThanItsRate() throws Exception {
        ImServerSettings settings = ImServerSettings.forTests().withConnectionsPerIp(0, RATE);
        try (Arena arena = Arena.start(settings); Swarm swarm = new Swarm(arena.port())) {
            arena.beginAttack();
            long began = System.nanoTime();
            int served = 0;
            for (int i = 0; i < CHURN; i++) {
                if (servedOnce(arena.port())) {
                    served++;
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            Peer other = swarm.connect(OTHER_HOST).send(Frames.login(2, "other-host", "pw"));
            swarm.runUntil("the other host's login is answered", () -> other.received() > 0, Duration.ofSeconds(10));
            Cost cost = arena.cost();

            long allowed = 2L * RATE + RATE * took.toMillis() / 1000 + 1;
            assertThat(served).as("connections served in %s", took).isLessThanOrEqualTo((int) allowed)
                    .isGreaterThanOrEqualTo(2 * RATE); // the burst
            assertThat(Frames.field(other.replies().get(0), "success")).as("the other host logs in").isEqualTo("true");
            arena.assertThreadsBounded(cost);
            Arena.assertRetainedBounded(cost, 0, 0, 0);
            arena.assertBystanderServed();
            assertRefusalLinesBounded(arena, began);
        }
    }

    /** Connects from the attacker's address and sends a heartbeat: whether it was answered before a close. */
    private static boolean servedOnce(int port) throws IOException {
        try (RawConnection connection = new RawConnection(port, ATTACKER)) {
            connection.write(Frames.heartbeat(2));
            return connection.read().command() == HEARTBEAT_RESPONSE;
        } catch (IOException refused) {
            return false; // closed by the server: end of stream, or a reset on the write
        }
    }

    private static void assertRefusalLinesBounded(Arena arena, long beganNanos) {
        long intervals = 1 + (System.nanoTime() - beganNanos) / REFUSAL_LOG_INTERVAL.toNanos();
        assertThat(arena.log().lines()).as("refusal lines").hasSizeLessThanOrEqualTo((int) intervals)
                .allSatisfy(line -> assertThat(line.getFormattedMessage()).contains("refused: too many"));
        arena.log().assertAtMostOnePerConnection((int) intervals);
    }
}
