package dev.switchboard.im.attack;

import static dev.switchboard.im.attack.Frames.ERROR;
import static dev.switchboard.im.attack.Frames.HEARTBEAT_RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;

import com.alibaba.fastjson2.JSONObject;
import dev.switchboard.im.attack.CostMeter.Cost;
import dev.switchboard.im.attack.Swarm.Peer;
import dev.switchboard.im.attack.Swarm.Reply;
import dev.switchboard.im.server.ImServerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Vector 14: logged-in connections sending unknown commands, malformed bodies and finally a broken frame. */
class LoggedInGarbageAttackTest {

    private static final Duration ANSWERS = Duration.ofSeconds(30);
    /** Logged-in attackers of each protocol version. */
    private static final int PER_VERSION = 10;
    /** Times each attacker sends the whole list of bad frames. */
    private static final int ROUNDS = 10;

    /** A bad frame and what version 2 answers to it. */
    private record Garbage(int serializer, int command, String body, String code) {}

    private static final List<Garbage> GARBAGE = List.of(
            new Garbage(Frames.JSON_ID, 99, "{}", "UNKNOWN_COMMAND"),
            new Garbage(Frames.JSON_ID, 0, "{}", "UNKNOWN_COMMAND"),
            new Garbage(Frames.JSON_ID, 255, "{}", "UNKNOWN_COMMAND"),
            new Garbage(Frames.JSON_ID, 4, "{}", "UNKNOWN_COMMAND"), // MessageResponse: the server's own reply
            new Garbage(Frames.JSON_ID, Frames.MESSAGE, "{\"toUserId\":", "BAD_REQUEST"),
            new Garbage(Frames.JSON_ID, Frames.MESSAGE, "[1,2,3]", "BAD_REQUEST"),
            new Garbage(Frames.JSON_ID, Frames.MESSAGE, "{\"toUserId\":{\"a\":1}}", "BAD_REQUEST"),
            new Garbage(7, Frames.MESSAGE, "{}", "BAD_REQUEST")); // a serializer nobody has

    /**
     * Ten v1 and ten v2 connections log in, then each sends eight kinds of bad frame ten times over. v2 gets the
     * matching error for each (UNKNOWN_COMMAND or BAD_REQUEST), v1 nothing (it cannot receive errors); both stay
     * logged in and are served. Then each sends a frame with a wrong magic and is closed. In all, at most one log
     * line per connection.
     */
    @Test
    void garbageAfterLoginGetsItsAnswerAndAtMostOneLinePerConnection() throws Exception {
        try (Arena arena = Arena.start(ImServerSettings.forTests()); Swarm swarm = new Swarm(arena.port())) {
            List<Peer> attackers = new ArrayList<>();
            for (int i = 0; i < 2 * PER_VERSION; i++) {
                int version = i % 2 + 1;
                attackers.add(swarm.connect().send(Frames.login(version, "garbler-" + i, "pw")));
            }
            swarm.runUntil("every attacker logs in", () -> swarm.all(peer -> peer.received() == 1), ANSWERS);
            List<String> ids = attackers.stream().map(peer -> Frames.field(peer.replies().get(0), "userId")).toList();

            arena.beginAttack();
            for (int i = 0; i < attackers.size(); i++) {
                int version = i % 2 + 1;
                for (int round = 0; round < ROUNDS; round++) {
                    for (Garbage garbage : GARBAGE) {
                        attackers.get(i).send(Frames.frame(version, garbage.serializer(), garbage.command(),
                                garbage.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    }
                }
                attackers.get(i).send(Frames.concat(Frames.heartbeat(version), Frames.json(version, Frames.MESSAGE,
                        JSONObject.of("toUserId", ids.get(i), "message", "still here", "clientMsgId", "s"))));
            }
            int errors = ROUNDS * GARBAGE.size();
            swarm.runUntil("every attacker's message to itself is delivered", () -> swarm.all(peer ->
                    peer.received(Frames.MESSAGE + 1) == 1 || peer.isClosed()), ANSWERS);
            Cost cost = arena.cost();

            for (int i = 0; i < attackers.size(); i++) {
                Peer peer = attackers.get(i);
                boolean v2 = i % 2 == 1;
                assertThat(peer.isClosed()).isFalse();
                assertThat(peer.received(ERROR)).as("errors to attacker %d", i).isEqualTo(v2 ? errors : 0);
                assertThat(peer.received(HEARTBEAT_RESPONSE)).isEqualTo(1);
                assertThat(peer.received()).as("login, errors, heartbeat, message (and SendAck in v2)")
                        .isEqualTo(1 + (v2 ? errors + 1 : 0) + 2);
                List<Reply> replies = peer.replies();
                for (int j = 1; v2 && j < replies.size() && j <= errors; j++) {
                    Garbage garbage = GARBAGE.get((j - 1) % GARBAGE.size());
                    assertThat(Frames.field(replies.get(j), "code")).as("answer to %s", garbage)
                            .isEqualTo(garbage.code());
                }
            }
            for (Peer peer : attackers) {
                peer.send(new byte[] {0x12, 0x34, 0x56, 0x79, 2, 1, 17, 0, 0, 0, 2, '{', '}'});
            }
            swarm.runUntil("every attacker is closed", () -> swarm.all(Peer::isClosed), ANSWERS);

            arena.assertThreadsBounded(cost);
            Arena.assertRetainedBounded(cost, attackers.size(), 64 << 10, 0);
            arena.assertBystanderServed();
            arena.log().assertAtMostOnePerConnection(attackers.size());
        }
    }
}
