package dev.switchboard.im.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.Member;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.PresenceChanged;
import dev.switchboard.im.protocol.PresenceQueryRequest;
import dev.switchboard.im.protocol.PresenceQueryResponse;
import dev.switchboard.im.protocol.PresenceVisibilityRequest;
import dev.switchboard.im.protocol.PresenceVisibilityResponse;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.server.ImServer;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.store.StoreModule;
import dev.switchboard.im.store.memory.MemoryStorage;
import dev.switchboard.im.testing.ChatClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Presence across three nodes in one process on one store and a real Redis: a user is online for everyone while a
 * device is logged in on any node, announced once when the first comes and once when the last goes, whichever
 * nodes they are on; queries and the choice to hide work across nodes; the users of a node that stops or dies go
 * offline for everyone.
 */
class ClusterPresenceTest {

    private static final int V2 = 2;
    private static final Duration QUIET = Duration.ofMillis(600);

    private static TestRedis redis;

    private final List<ImServer> nodes = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void startNodes() {
        MemoryStorage store = new MemoryStorage();
        for (String id : List.of("a", "b", "c")) {
            ClusterSettings cluster = ClusterSettings.of(id, redis.uri())
                    .withIntervals(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(3));
            nodes.add(ImServer.start(ImServerSettings.forTests().withPresenceSettle(Duration.ZERO)
                    .withCluster(cluster), Clock.systemUTC(), false, StoreModule.shared(store)));
        }
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(ImServer::close);
    }

    private int port(int node) {
        return nodes.get(node).port();
    }

    /** Registers bob (logged in and out again) and has alice, logged in on node a, write to him. */
    private ChatClient aliceWatchingBob() throws Exception {
        try (ChatClient ignored = ChatClient.login(port(1), V2, "bob")) {
            // registered
        }
        ChatClient alice = ChatClient.login(port(0), V2, "alice");
        alice.send(new PresenceQueryRequest(null, List.of("bob")));
        String bobId = alice.next(PresenceQueryResponse.class).users().get(0).userId();
        alice.send(new MessageRequest(bobId, "hello", "m1", null));
        alice.next(SendAck.class);
        return alice;
    }

    private static boolean online(ChatClient asker, String name) throws Exception {
        asker.send(new PresenceQueryRequest(null, List.of(name)));
        return asker.next(PresenceQueryResponse.class).users().get(0).online();
    }

    @Test
    void aUserOnSeveralNodesIsAnnouncedOnlineOnceAndOfflineWhenTheLastDeviceGoes() throws Exception {
        try (ChatClient alice = aliceWatchingBob()) {
            ChatClient bobOnB = ChatClient.login(port(1), V2, "bob");
            assertThat(alice.next(PresenceChanged.class).user()).isEqualTo(new Member(bobOnB.userId(), "bob", true));
            ChatClient bobOnC = ChatClient.login(port(2), V2, "bob");
            alice.expectNothing(QUIET); // a device on another node is no news
            assertThat(online(alice, "bob")).isTrue();

            bobOnB.close();
            alice.expectNothing(QUIET); // bob is still online, on node c
            assertThat(online(alice, "bob")).as("node a asks Redis about node c's devices").isTrue();

            bobOnC.close();
            assertThat(alice.next(PresenceChanged.class).user())
                    .isEqualTo(new Member(bobOnC.userId(), "bob", false));
            assertThat(online(alice, "bob")).isFalse();
            alice.expectNothing(QUIET);
        }
    }

    @Test
    void hidingOnOneNodeHidesTheDevicesOnEveryNode() throws Exception {
        try (ChatClient alice = aliceWatchingBob();
                ChatClient bobOnB = ChatClient.login(port(1), V2, "bob");
                ChatClient bobOnC = ChatClient.login(port(2), V2, "bob")) {
            assertThat(alice.next(PresenceChanged.class).user().online()).isTrue();
            bobOnB.next(MessageResponse.class); // alice's hello
            bobOnC.next(MessageResponse.class);

            bobOnC.send(new PresenceVisibilityRequest(true));
            assertThat(bobOnC.next(PresenceVisibilityResponse.class).hidden()).isTrue();
            assertThat(alice.next(PresenceChanged.class).user().online())
                    .as("offline although bob's device on node b is still logged in").isFalse();
            alice.expectNothing(QUIET);
            assertThat(online(alice, "bob")).isFalse();

            bobOnB.send(new PresenceVisibilityRequest(false));
            assertThat(bobOnB.next(PresenceVisibilityResponse.class).hidden()).isFalse();
            assertThat(alice.next(PresenceChanged.class).user().online()).isTrue();
            alice.expectNothing(QUIET);
            assertThat(online(alice, "bob")).isTrue();
        }
    }

    @Test
    void theUsersOfANodeThatStopsGoOfflineForEveryone() throws Exception {
        try (ChatClient alice = aliceWatchingBob()) {
            ChatClient bob = ChatClient.login(port(1), V2, "bob");
            assertThat(alice.next(PresenceChanged.class).user().online()).isTrue();
            nodes.remove(1).close(); // its presence changes at the stop are left to the node finding it gone
            assertThat(alice.next(PresenceChanged.class).user()).isEqualTo(new Member(bob.userId(), "bob", false));
            assertThat(online(alice, "bob")).isFalse();
            alice.expectNothing(QUIET);
            bob.close();
        }
    }

    @Test
    void theUsersADeadNodeAloneShowedGoOfflineForEveryoneOnce() throws Exception {
        // Carol first: her coming online is announced before alice, who could hear of it, is logged in.
        try (ChatClient carolOnC = ChatClient.login(port(2), V2, "carol");
                ChatClient alice = aliceWatchingBob()) {
            alice.send(new MessageRequest(carolOnC.userId(), "hi", "m2", null));
            alice.next(SendAck.class);
            String bobId = bobId(alice);
            // A node killed while bob and carol were online on it, as Redis shows it: no liveness key any more.
            try (TestRedis.Connection own = redis.connect()) {
                var sync = own.redis().sync();
                sync.sadd(PresenceDirectory.onlineKey(bobId), "ghost/1");
                sync.sadd(PresenceDirectory.onlineKey(carolOnC.userId()), "ghost/1");
                sync.sadd(PresenceDirectory.onlineByKey("ghost/1"), bobId, carolOnC.userId());
                sync.sadd(DeviceDirectory.NODES, "ghost/1");
            }
            assertThat(alice.next(PresenceChanged.class).user()).as("bob was online on the dead node only")
                    .isEqualTo(new Member(bobId, "bob", false));
            alice.expectNothing(QUIET); // carol is still online on node c: no news, and bob's offline came once
            assertThat(online(alice, "carol")).isTrue();
        }
    }

    private static String bobId(ChatClient asker) throws Exception {
        asker.send(new PresenceQueryRequest(null, List.of("bob")));
        return asker.next(PresenceQueryResponse.class).users().get(0).userId();
    }
}
