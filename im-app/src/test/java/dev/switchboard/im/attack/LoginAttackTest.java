package dev.switchboard.im.attack;

import static dev.switchboard.im.attack.Frames.LOGIN_RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;

import com.alibaba.fastjson2.JSONObject;
import dev.switchboard.im.attack.CostMeter.Cost;
import dev.switchboard.im.attack.Swarm.Peer;
import dev.switchboard.im.attack.Swarm.Reply;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.store.UserStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Vectors 7, 8, 9 and 13: attacks on login. The attacker connects from 127.0.0.3, the account's owner from
 * 127.0.0.2, the bystander from 127.0.0.1.
 */
class LoginAttackTest {

    private static final String ATTACKER = "127.0.0.3";
    private static final String OWNER_HOST = "127.0.0.2";
    private static final String OWNER = "owner";
    private static final String PASSWORD = "the owner's password";
    private static final Duration ANSWERS = Duration.ofSeconds(30);
    /** Password attempts one address gets before it must wait (the server's figure). */
    private static final int FREE_GUESSES = 5;
    /** Guessing connections in vector 7, each pipelining {@link #GUESSES_EACH} guesses, all at once. */
    private static final int GUESSERS = 10;
    private static final int GUESSES_EACH = 3;

    @TempDir
    Path dataDir;

    /**
     * Vector 7: ten connections from one address pipeline three wrong passwords each for the owner's account, 30
     * guesses at once. At most five are checked (one more per lock period that passes); the rest are refused with
     * "too many failed logins; retry in N s", without a hash and without a log line. The owner, from another
     * address, logs in at once.
     */
    @Test
    void aGuesserIsThrottledWhileTheOwnerLogsInFromElsewhere() throws Exception {
        try (Arena arena = Arena.start(ImServerSettings.forTests()); Swarm swarm = new Swarm(arena.port())) {
            register(swarm);
            arena.beginAttack();
            long began = System.nanoTime();
            List<Peer> guessers = new ArrayList<>();
            for (int i = 0; i < GUESSERS; i++) {
                Peer guesser = swarm.connect(ATTACKER);
                for (int j = 0; j < GUESSES_EACH; j++) {
                    guesser.send(Frames.login(2, OWNER, "guess " + i + "." + j));
                }
                guessers.add(guesser);
            }
            swarm.runUntil("every guess is answered",
                    () -> guessers.stream().allMatch(peer -> peer.received() == GUESSES_EACH), ANSWERS);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began);
            Peer owner = swarm.connect(OWNER_HOST).send(Frames.login(2, OWNER, PASSWORD));
            swarm.runUntil("the owner's login is answered", () -> owner.received() == 1, ANSWERS);
            Cost cost = arena.cost();

            List<String> reasons = new ArrayList<>();
            for (Peer guesser : guessers) {
                for (Reply reply : guesser.replies()) {
                    assertThat(reply.command()).isEqualTo(LOGIN_RESPONSE);
                    assertThat(Frames.field(reply, "success")).isEqualTo("false");
                    reasons.add(Frames.field(reply, "reason"));
                }
            }
            long checked = reasons.stream().filter("wrong user name or password"::equals).count();
            assertThat(checked).as("guesses checked of %d: %s", reasons.size(), reasons)
                    .isLessThanOrEqualTo(FREE_GUESSES + 1 + seconds);
            assertThat(reasons).filteredOn(reason -> !reason.equals("wrong user name or password"))
                    .hasSize(reasons.size() - (int) checked)
                    .allSatisfy(reason -> assertThat(reason).matches("too many failed logins; retry in \\d+ s"));
            assertThat(Frames.field(owner.replies().get(0), "success")).as("the owner logs in").isEqualTo("true");
            arena.assertThreadsBounded(cost);
            arena.assertBystanderServed();
            arena.log().assertAtMostOnePerConnection(GUESSERS);
        }
    }

    /** Password hashing cost in vector 8: high enough that a hash costs far more than anything else in a login. */
    private static final int ITERATIONS = 50_000;
    /** Password logins measured to price one hash. */
    private static final int PRICED_LOGINS = 4;
    /** Connections flooding bogus token logins, and the token logins each one pipelines. */
    private static final int TOKEN_FLOODERS = 10;
    private static final int TOKENS_EACH = 20;
    /**
     * How many bogus token logins may cost as much CPU as one password login: a bad token costs a SHA-256 and a
     * lookup, so many; hashing the password for each would make it 1.
     */
    private static final int TOKENS_PER_PASSWORD = 10;

    /**
     * Vector 8: ten connections from one address each pipeline twenty token logins with random tokens for the
     * owner's name. Each is refused ("invalid or expired token"), costs less than a tenth of a password login in
     * server CPU (no hash), and is not counted as a guess: the owner then logs in with the password from the
     * attacker's address and from its own.
     */
    @Test
    void bogusTokenLoginsAreCheapAndDoNotThrottleTheOwner() throws Exception {
        ImServerSettings settings = ImServerSettings.forTests().withPasswordIterations(ITERATIONS);
        try (Arena arena = Arena.start(settings); Swarm swarm = new Swarm(arena.port())) {
            register(swarm);
            arena.beginAttack();
            Peer pricing = swarm.connect(OWNER_HOST);
            for (int i = 0; i < PRICED_LOGINS; i++) {
                pricing.send(Frames.login(2, OWNER, PASSWORD));
            }
            swarm.runUntil("the priced logins are answered", () -> pricing.received() == PRICED_LOGINS, ANSWERS);
            assertThat(pricing.replies())
                    .allSatisfy(reply -> assertThat(Frames.field(reply, "success")).isEqualTo("true"));
            long passwordCpu = arena.cost().serverCpuNanos() / PRICED_LOGINS;

            SecureRandom random = new SecureRandom();
            List<Peer> flooders = new ArrayList<>();
            for (int i = 0; i < TOKEN_FLOODERS; i++) {
                Peer flooder = swarm.connect(ATTACKER);
                for (int j = 0; j < TOKENS_EACH; j++) {
                    byte[] token = new byte[32];
                    random.nextBytes(token);
                    flooder.send(Frames.json(2, Frames.LOGIN, JSONObject.of("userName", OWNER,
                            "token", Base64.getUrlEncoder().withoutPadding().encodeToString(token))));
                }
                flooders.add(flooder);
            }
            long before = arena.cost().serverCpuNanos();
            swarm.runUntil("every token login is answered",
                    () -> flooders.stream().allMatch(peer -> peer.received() == TOKENS_EACH), ANSWERS);
            Cost cost = arena.cost();
            long floodCpu = cost.serverCpuNanos() - before;

            for (Peer flooder : flooders) {
                assertThat(flooder.replies()).allSatisfy(reply ->
                        assertThat(Frames.field(reply, "reason")).isEqualTo("invalid or expired token"));
            }
            int attempts = TOKEN_FLOODERS * TOKENS_EACH;
            assertThat(floodCpu).as("server CPU for %d token logins, one password login costing %d ms (%s)",
                    attempts, passwordCpu / 1_000_000, cost)
                    .isLessThanOrEqualTo(attempts * passwordCpu / TOKENS_PER_PASSWORD);
            Peer fromAttacker = swarm.connect(ATTACKER).send(Frames.login(2, OWNER, PASSWORD));
            Peer fromOwner = swarm.connect(OWNER_HOST).send(Frames.login(2, OWNER, PASSWORD));
            swarm.runUntil("the owner's logins are answered",
                    () -> fromAttacker.received() == 1 && fromOwner.received() == 1, ANSWERS);
            assertThat(Frames.field(fromAttacker.replies().get(0), "success")).as("from the attacker's address")
                    .isEqualTo("true");
            assertThat(Frames.field(fromOwner.replies().get(0), "success")).as("from the owner's").isEqualTo("true");
            arena.assertThreadsBounded(cost);
            arena.assertBystanderServed();
            arena.log().assertAtMostOnePerConnection(TOKEN_FLOODERS);
        }
    }

    /** Connections racing with one stolen token: more than the business threads, so that some run at once. */
    private static final int RACERS = 20;

    /**
     * Vector 9: twenty connections send a login with the same resume token at the same moment. Exactly one gets
     * in; the others are told the token is invalid; on either store.
     */
    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"memory", "sqlite"})
    void oneResumeTokenLetsExactlyOneOfManyConcurrentLoginsIn(String store) throws Exception {
        ImServerSettings settings = ImServerSettings.forTests().withStore(store).withDataDir(dataDir);
        try (Arena arena = Arena.start(settings); Swarm swarm = new Swarm(arena.port())) {
            Peer issued = swarm.connect(OWNER_HOST).send(Frames.login(2, OWNER, PASSWORD));
            swarm.runUntil("the owner logs in", () -> issued.received() == 1, ANSWERS);
            String token = Frames.field(issued.replies().get(0), "token");
            assertThat(token).isNotNull();
            arena.beginAttack();
            byte[] stolen = Frames.json(2, Frames.LOGIN, JSONObject.of("userName", OWNER, "token", token));
            List<Peer> racers = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                racers.add(swarm.connect(ATTACKER));
            }
            racers.forEach(racer -> racer.send(stolen)); // written in one pass of the swarm's loop
            swarm.runUntil("every racer is answered",
                    () -> racers.stream().allMatch(peer -> peer.received() == 1), ANSWERS);
            Cost cost = arena.cost();

            List<Reply> answers = racers.stream().map(peer -> peer.replies().get(0)).toList();
            assertThat(answers).filteredOn(reply -> Frames.field(reply, "success").equals("true"))
                    .as("logins the token let in").hasSize(1);
            assertThat(answers).filteredOn(reply -> Frames.field(reply, "success").equals("false"))
                    .hasSize(RACERS - 1).allSatisfy(reply ->
                            assertThat(Frames.field(reply, "reason")).isEqualTo("invalid or expired token"));
            arena.assertThreadsBounded(cost);
            arena.assertBystanderServed();
            arena.log().assertAtMostOnePerConnection(RACERS);
        }
    }

    /**
     * Vector 13: names that would drive other users' terminals, or read differently from what they are: escape
     * sequences, a bell, a right-to-left override, zero-width and line-separator characters, private-use and
     * unpaired surrogate code points, outer spaces, 65 characters. Each login is refused naming the refused
     * character (or the rule), nothing is registered, the refusals are not counted as guesses, and nothing is logged.
     */
    @Test
    void namesWithControlOrFormatCharactersAreRefused() throws Exception {
        // As JSON string contents, so that unpaired surrogates survive the encoding.
        List<String> names = List.of("mallory\\u001b[2J", "bell\\u0007", "evil\\u202egnp.exe", "zero\\u200bwidth",
                "line\\u2028break", "private\\ue000", "lone\\ud800", " padded", "x".repeat(65));
        List<String> reasons = List.of("U+001B", "U+0007", "U+202E", "U+200B", "U+2028", "U+E000", "U+D800");
        try (Arena arena = Arena.start(ImServerSettings.forTests()); Swarm swarm = new Swarm(arena.port())) {
            arena.beginAttack();
            List<Peer> peers = new ArrayList<>();
            for (int version = 1; version <= 2; version++) {
                Peer peer = swarm.connect(ATTACKER);
                for (String name : names) {
                    peer.send(Frames.json(version, Frames.LOGIN,
                            "{\"userName\":\"" + name + "\",\"password\":\"pw\"}"));
                }
                peer.send(Frames.login(version, "mallory-" + version, "pw")); // not throttled by the refusals
                peers.add(peer);
            }
            swarm.runUntil("every login is answered", () -> swarm.all(peer -> peer.received() == names.size() + 1),
                    ANSWERS);
            Cost cost = arena.cost();

            for (Peer peer : peers) {
                List<Reply> replies = peer.replies();
                for (int i = 0; i < names.size(); i++) {
                    Reply reply = replies.get(i);
                    assertThat(reply.command()).isEqualTo(LOGIN_RESPONSE);
                    assertThat(Frames.field(reply, "success")).isEqualTo("false");
                    String expected = i < reasons.size()
                            ? "user name must be printable: " + reasons.get(i) + " is not allowed"
                            : "user name must be 1 to 64 characters without outer spaces";
                    assertThat(Frames.field(reply, "reason")).as("reason for name %d", i).isEqualTo(expected);
                }
                assertThat(Frames.field(replies.get(names.size()), "success")).as("a proper name then")
                        .isEqualTo("true");
            }
            UserStore users = arena.instance(UserStore.class);
            for (String escaped : names) {
                String name = JSONObject.parseObject("{\"n\":\"" + escaped + "\"}").getString("n");
                assertThat(users.findByName(name).toCompletableFuture().get(10, TimeUnit.SECONDS))
                        .as("registered as %s", escaped).isEmpty();
            }
            arena.assertThreadsBounded(cost);
            arena.assertBystanderServed();
            arena.log().assertAtMostOnePerConnection(0);
        }
    }

    /** Registers the owner from its own address, then closes that connection. */
    private static void register(Swarm swarm) throws Exception {
        Peer owner = swarm.connect(OWNER_HOST).send(Frames.login(2, OWNER, PASSWORD));
        swarm.runUntil("the owner registers", () -> owner.received() == 1, ANSWERS);
        assertThat(Frames.field(owner.replies().get(0), "success")).isEqualTo("true");
    }
}
