package dev.switchboard.im.attack;

import static dev.switchboard.im.attack.Frames.CREATE_GROUP_RESPONSE;
import static dev.switchboard.im.attack.Frames.ERROR;
import static dev.switchboard.im.attack.Frames.JOIN_GROUP_RESPONSE;
import static dev.switchboard.im.attack.Frames.LIST_MEMBERS_RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONObject;
import dev.switchboard.im.attack.CostMeter.Cost;
import dev.switchboard.im.attack.Swarm.Peer;
import dev.switchboard.im.attack.Swarm.Reply;
import dev.switchboard.im.server.ImServerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Vectors 10 and 11: logged-in users pushing on group limits and on expensive group requests. */
class GroupAttackTest {

    private static final Duration ANSWERS = Duration.ofSeconds(30);
    /** Most members a group may have in vector 10: low, so that few joiners overfill it. */
    private static final int GROUP_LIMIT = 5;
    /** Users joining at once: four times the room left. */
    private static final int JOINERS = 20;

    @TempDir
    Path dataDir;

    /**
     * Vector 10: twenty users log in and join the same group at the same moment, with room for four. Exactly four
     * get in; sixteen get BAD_REQUEST "group ... is full (5 members)"; the group never has more than five members;
     * on either store.
     */
    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"memory", "sqlite"})
    void concurrentJoinsNeverOverfillAGroup(String store) throws Exception {
        ImServerSettings settings = ImServerSettings.forTests().withStore(store).withDataDir(dataDir)
                .withLimits(16_384, GROUP_LIMIT, 1 << 20);
        try (Arena arena = Arena.start(settings); Swarm swarm = new Swarm(arena.port())) {
            Peer creator = swarm.connect().send(Frames.login(2, "creator", "pw"));
            swarm.runUntil("the creator logs in", () -> creator.received() == 1, ANSWERS);
            String creatorId = Frames.field(creator.replies().get(0), "userId");
            creator.send(Frames.json(2, Frames.CREATE_GROUP, JSONObject.of("userIdList", List.of(creatorId))));
            swarm.runUntil("the group is created", () -> creator.received(CREATE_GROUP_RESPONSE) == 1, ANSWERS);
            String groupId = Frames.field(creator.replies().get(1), "groupId");

            arena.beginAttack();
            List<Peer> joiners = new ArrayList<>();
            for (int i = 0; i < JOINERS; i++) {
                joiners.add(swarm.connect().send(Frames.concat(Frames.login(2, "joiner-" + i, "pw"),
                        Frames.json(2, Frames.JOIN_GROUP, JSONObject.of("groupId", groupId)))));
            }
            swarm.runUntil("every join is answered", () -> joiners.stream()
                    .allMatch(peer -> peer.received(JOIN_GROUP_RESPONSE) + peer.received(ERROR) == 1), ANSWERS);
            creator.send(Frames.json(2, Frames.LIST_MEMBERS, JSONObject.of("groupId", groupId)));
            swarm.runUntil("the members are listed", () -> creator.received(LIST_MEMBERS_RESPONSE) == 1, ANSWERS);
            Cost cost = arena.cost();

            List<Reply> answers = joiners.stream().map(peer -> peer.replies().stream()
                    .filter(reply -> reply.command() == JOIN_GROUP_RESPONSE || reply.command() == ERROR)
                    .findFirst().orElseThrow()).toList();
            assertThat(answers).filteredOn(reply -> reply.command() == JOIN_GROUP_RESPONSE)
                    .as("joins let in").hasSize(GROUP_LIMIT - 1)
                    .allSatisfy(reply -> assertThat(Frames.field(reply, "success")).isEqualTo("true"));
            assertThat(answers).filteredOn(reply -> reply.command() == ERROR).hasSize(JOINERS - GROUP_LIMIT + 1)
                    .allSatisfy(reply -> {
                        assertThat(Frames.field(reply, "code")).isEqualTo("BAD_REQUEST");
                        assertThat(Frames.field(reply, "reason"))
                                .isEqualTo("group " + groupId + " is full (" + GROUP_LIMIT + " members)");
                    });
            Reply list = creator.replies().stream().filter(reply -> reply.command() == LIST_MEMBERS_RESPONSE)
                    .findFirst().orElseThrow();
            assertThat(JSON.parseObject(list.text()).getJSONArray("sessionList")).as("members").hasSize(GROUP_LIMIT);
            arena.assertThreadsBounded(cost);
            arena.assertBystanderServed();
            arena.log().assertAtMostOnePerConnection(JOINERS);
        }
    }

    /** Request tokens per second per connection in vector 11 (bursts of twice that): low, so that it shows fast. */
    private static final int RATE = 50;
    /** What a member list costs in tokens (the server's figure). */
    private static final int LIST_COST = 20;
    /** Member lists the attacker pipelines. */
    private static final int LISTS = 100;
    /** Group creations the attacker pipelines, each naming {@link #NAMED} members. */
    private static final int CREATES = 50;
    private static final int NAMED = 200;
    /** What such a creation costs: one token, and one more per ten members named (the server's figure). */
    private static final int CREATE_COST = 1 + NAMED / 10;

    /**
     * Vector 11: a logged-in user pipelines a hundred member lists and fifty group creations naming 200 members
     * each, 3,050 tokens' worth against a budget of 100 and 50 a second. Every request is answered; those beyond
     * the budget get RATE_LIMITED, so what is served costs no more than the budget allows for the time taken; the
     * bystander, another account, is unaffected.
     */
    @Test
    void expensiveRequestsAreRateLimitedByTheirCost() throws Exception {
        ImServerSettings settings = ImServerSettings.forTests().withMessagesPerSecond(RATE);
        try (Arena arena = Arena.start(settings); Swarm swarm = new Swarm(arena.port())) {
            Peer spender = swarm.connect().send(Frames.login(2, "spender", "pw"));
            swarm.runUntil("the spender logs in", () -> spender.received() == 1, ANSWERS);
            String spenderId = Frames.field(spender.replies().get(0), "userId");
            spender.send(Frames.json(2, Frames.CREATE_GROUP, JSONObject.of("userIdList", List.of(spenderId))));
            swarm.runUntil("the group is created", () -> spender.received(CREATE_GROUP_RESPONSE) == 1, ANSWERS);
            String groupId = Frames.field(spender.replies().get(1), "groupId");

            arena.beginAttack();
            long began = System.nanoTime();
            byte[] list = Frames.json(2, Frames.LIST_MEMBERS, JSONObject.of("groupId", groupId));
            byte[] create = Frames.json(2, Frames.CREATE_GROUP,
                    JSONObject.of("userIdList", Collections.nCopies(NAMED, spenderId)));
            spender.send(Frames.concat(Frames.times(LISTS, list), Frames.times(CREATES, create)));
            int before = spender.received();
            swarm.runUntil("every request is answered", () -> spender.received() == before + LISTS + CREATES,
                    ANSWERS);
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            Cost cost = arena.cost();

            int lists = spender.received(LIST_MEMBERS_RESPONSE);
            int creates = spender.received(CREATE_GROUP_RESPONSE) - 1;
            int limited = spender.received(ERROR);
            assertThat(lists + creates + limited).isEqualTo(LISTS + CREATES);
            long spent = (long) lists * LIST_COST + (long) creates * CREATE_COST;
            long budget = 2L * RATE - 1 + RATE * took.toMillis() / 1000 + CREATE_COST; // less the first group's token
            assertThat(spent).as("tokens served in %s: %d lists, %d creations, %d refused", took, lists, creates,
                    limited).isLessThanOrEqualTo(budget);
            assertThat(spender.replies()).filteredOn(reply -> reply.command() == ERROR).isNotEmpty()
                    .allSatisfy(reply -> assertThat(Frames.field(reply, "code")).isEqualTo("RATE_LIMITED"));
            arena.assertThreadsBounded(cost);
            arena.assertBystanderServed();
            arena.log().assertAtMostOnePerConnection(0);
        }
    }
}
