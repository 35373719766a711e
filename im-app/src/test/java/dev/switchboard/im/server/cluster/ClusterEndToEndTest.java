package dev.switchboard.im.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.GroupChanged;
import dev.switchboard.im.protocol.GroupMemberJoined;
import dev.switchboard.im.protocol.GroupMemberQuit;
import dev.switchboard.im.protocol.GroupMessageRequest;
import dev.switchboard.im.protocol.GroupMessageResponse;
import dev.switchboard.im.protocol.JoinGroupRequest;
import dev.switchboard.im.protocol.JoinGroupResponse;
import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.LoginResponse;
import dev.switchboard.im.protocol.LogoutAllRequest;
import dev.switchboard.im.protocol.LogoutAllResponse;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.QuitGroupRequest;
import dev.switchboard.im.protocol.QuitGroupResponse;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.protocol.TypingNotice;
import dev.switchboard.im.protocol.TypingRequest;
import dev.switchboard.im.server.ImServer;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.server.auth.LoginThrottle;
import dev.switchboard.im.store.StoreModule;
import dev.switchboard.im.store.memory.MemoryStorage;
import dev.switchboard.im.testing.ChatClient;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.protocol.CommandType;
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
 * Three nodes in one process on one shared store and a real Redis: senders and recipients on different nodes get
 * what a single node gives them, also while Redis is down (the catch-up) and after it comes back empty.
 */
class ClusterEndToEndTest {

    private static final int V1 = 1;
    private static final int V2 = 2;
    /** Long enough that a delivery arriving sooner came by a notice, not by the catch-up. */
    private static final Duration CATCH_UP = Duration.ofSeconds(3);

    private static TestRedis redis;

    private final List<ImServer> nodes = new ArrayList<>();
    private MemoryStorage store;

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
        startNodes(ImServerSettings.forTests());
    }

    private void startNodes(ImServerSettings settings) {
        try (TestRedis.Connection own = redis.connect()) {
            own.redis().sync().flushall(); // every test from a clean slate: counts such as the login throttle's
        }
        store = new MemoryStorage();
        for (String id : List.of("a", "b", "c")) {
            ClusterSettings cluster = ClusterSettings.of(id, redis.uri())
                    .withIntervals(Duration.ofMillis(200), Duration.ofSeconds(2), CATCH_UP);
            nodes.add(ImServer.start(settings.withCluster(cluster), Clock.systemUTC(), false,
                    StoreModule.shared(store)));
        }
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(ImServer::close);
        nodes.clear();
    }

    private int port(int node) {
        return nodes.get(node).port();
    }

    @Test
    void aDirectMessageReachesARecipientOnAnotherNodeAtOnce() throws Exception {
        try (ChatClient alice = ChatClient.login(port(0), V2, "alice");
                ChatClient bob = ChatClient.login(port(1), V2, "bob")) {
            long start = System.nanoTime();
            alice.send(new MessageRequest(bob.userId(), "across nodes", "m1", null));
            assertThat(alice.next(SendAck.class).clientMsgId()).isEqualTo("m1");
            MessageResponse delivered = bob.next(MessageResponse.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("by a notice, not the catch-up")
                    .isLessThan(CATCH_UP);
            assertThat(delivered.message()).isEqualTo("across nodes");
            assertThat(delivered.fromUserName()).isEqualTo("alice");
            assertThat(delivered.seq()).isEqualTo(1L);
        }
    }

    @Test
    void pipelinedMessagesArriveInOrderOnEveryDeviceOnEveryNode() throws Exception {
        try (ChatClient alice = ChatClient.login(port(0), V2, "alice");
                ChatClient bobOnB = ChatClient.login(port(1), V2, "bob");
                ChatClient bobOnC = ChatClient.connect(port(2), V2);
                ChatClient bobOnA = ChatClient.connect(port(0), V2)) {
            assertThat(bobOnC.loginWith(LoginRequest.withPassword("bob", "pw-bob")).success()).isTrue();
            assertThat(bobOnA.loginWith(LoginRequest.withPassword("bob", "pw-bob")).success()).isTrue();
            for (int i = 1; i <= 200; i++) {
                alice.send(new MessageRequest(bobOnB.userId(), "m" + i, "c" + i, null));
            }
            for (ChatClient device : List.of(bobOnB, bobOnC, bobOnA)) {
                List<MessageResponse> got = device.next(MessageResponse.class, 200);
                for (int i = 0; i < 200; i++) {
                    assertThat(got.get(i).message()).isEqualTo("m" + (i + 1));
                    assertThat(got.get(i).seq()).isEqualTo(i + 1L);
                }
                device.expectNothing(Duration.ofMillis(200));
            }
        }
    }

    @Test
    void aGroupSpreadOverThreeNodesSeesOneOrder() throws Exception {
        try (ChatClient alice = ChatClient.login(port(0), V2, "alice");
                ChatClient bob = ChatClient.login(port(1), V2, "bob");
                ChatClient carol = ChatClient.login(port(2), V2, "carol")) {
            alice.send(new CreateGroupRequest(null, List.of("bob", "carol"), "spread"));
            String groupId = alice.next(CreateGroupResponse.class).groupId();
            for (ChatClient member : List.of(alice, bob, carol)) {
                assertThat(member.nextEvent().event()).isEqualTo("created");
            }
            List<ChatClient> senders = List.of(alice, bob, carol);
            for (int i = 0; i < 30; i++) {
                senders.get(i % 3).send(new GroupMessageRequest(groupId, "g" + i, "g" + i));
            }
            List<List<String>> seen = new ArrayList<>();
            for (ChatClient member : senders) {
                List<String> texts = new ArrayList<>();
                long lastSeq = 0;
                while (texts.size() < 30) {
                    Object packet = member.next();
                    if (packet instanceof GroupMessageResponse message) {
                        assertThat(message.seq()).isGreaterThan(lastSeq);
                        lastSeq = message.seq();
                        texts.add(message.message());
                    }
                }
                seen.add(texts);
            }
            assertThat(seen.get(1)).isEqualTo(seen.get(0));
            assertThat(seen.get(2)).isEqualTo(seen.get(0));
            assertThat(seen.get(0)).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.range(0, 30).mapToObj(i -> "g" + i).toList());
        }
    }

    @Test
    void whileRedisIsDownTheCatchUpDeliversAndNoticesResumeWhenItIsBack() throws Exception {
        try (ChatClient alice = ChatClient.login(port(0), V2, "alice");
                ChatClient bob = ChatClient.login(port(1), V2, "bob")) {
            redis.stop();
            try {
                alice.send(new MessageRequest(bob.userId(), "while redis is down", "d1", null));
                assertThat(alice.next(SendAck.class).clientMsgId()).as("stored and acknowledged regardless")
                        .isEqualTo("d1");
                assertThat(bob.next(MessageResponse.class).message()).as("by the catch-up")
                        .isEqualTo("while redis is down");
            } finally {
                redis.restart();
            }
            // Back, but empty: the nodes' refresh puts their entries back within a heartbeat or two.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int n = 0;
            while (true) {
                n++;
                long sent = System.nanoTime();
                alice.send(new MessageRequest(bob.userId(), "after " + n, "a" + n, null));
                alice.next(SendAck.class);
                MessageResponse got = bob.next(MessageResponse.class);
                assertThat(got.message()).isEqualTo("after " + n);
                if (Duration.ofNanos(System.nanoTime() - sent).compareTo(Duration.ofSeconds(1)) < 0) {
                    break; // a notice again
                }
                assertThat(System.nanoTime()).as("notices resume after Redis restarted").isLessThan(deadline);
            }
        }
    }

    @Test
    void aUserMovingToAnotherNodeResumesFromLastSeqWithNothingLostOrRepeated() throws Exception {
        try (ChatClient alice = ChatClient.login(port(0), V2, "alice")) {
            LoginResponse first;
            String token;
            long lastSeq;
            try (ChatClient bob = ChatClient.connect(port(1), V2)) {
                first = bob.loginWith(LoginRequest.withPassword("bob", "secret"));
                token = first.token();
                for (int i = 1; i <= 5; i++) {
                    alice.send(new MessageRequest(first.userId(), "m" + i, "c" + i, null));
                }
                List<MessageResponse> got = bob.next(MessageResponse.class, 5);
                lastSeq = got.get(2).seq(); // it saw five, but only kept three
            }
            for (int i = 6; i <= 8; i++) {
                alice.send(new MessageRequest(first.userId(), "m" + i, "c" + i, null));
            }
            try (ChatClient bob = ChatClient.connect(port(2), V2)) {
                assertThat(bob.loginWith(new LoginRequest("bob", null, token, lastSeq)).success()).isTrue();
                List<MessageResponse> resumed = bob.next(MessageResponse.class, 5);
                assertThat(resumed).extracting(MessageResponse::message).containsExactly("m4", "m5", "m6", "m7", "m8");
                alice.send(new MessageRequest(first.userId(), "m9", "c9", null));
                assertThat(bob.next(MessageResponse.class).message()).isEqualTo("m9");
                bob.expectNothing(Duration.ofMillis(200));
            }
        }
    }

    @Test
    void groupEventsReachMembersOnOtherNodes() throws Exception {
        try (ChatClient alice = ChatClient.login(port(0), V2, "alice");
                ChatClient bob = ChatClient.login(port(2), V2, "bob")) {
            alice.send(new CreateGroupRequest(null, List.of("bob"), "events"));
            alice.next(CreateGroupResponse.class);
            GroupChanged created = bob.nextEvent();
            assertThat(created.event()).isEqualTo("created");
            assertThat(created.groupName()).isEqualTo("events");
        }
    }

    @Test
    void loggingOutEverywhereClosesTheAccountsConnectionsOnEveryNode() throws Exception {
        try (ChatClient onA = ChatClient.login(port(0), V2, "bob");
                ChatClient onB = ChatClient.connect(port(1), V2);
                ChatClient onC = ChatClient.connect(port(2), V2);
                ChatClient alice = ChatClient.login(port(2), V2, "alice")) {
            assertThat(onB.loginWith(LoginRequest.withPassword("bob", "pw-bob")).success()).isTrue();
            assertThat(onC.loginWith(LoginRequest.withPassword("bob", "pw-bob")).success()).isTrue();

            onA.send(new LogoutAllRequest());
            assertThat(onA.next(LogoutAllResponse.class).closedConnections()).as("on its own node").isZero();
            awaitClosed(onB);
            awaitClosed(onC);
            assertThat(alice.isConnected()).as("another account's connection on that node").isTrue();
        }
    }

    @Test
    void aTokenSpentOnOneNodeClosesTheConnectionItWasIssuedToOnAnother() throws Exception {
        try (ChatClient stale = ChatClient.connect(port(0), V2);
                ChatClient other = ChatClient.connect(port(0), V2)) {
            String token = stale.loginWith(LoginRequest.withPassword("bob", "pw-bob")).token();
            assertThat(other.loginWith(LoginRequest.withPassword("bob", "pw-bob")).success()).isTrue();
            try (ChatClient resumed = ChatClient.connect(port(1), V2)) {
                assertThat(resumed.loginWith(new LoginRequest("bob", null, token, null)).success()).isTrue();
                awaitClosed(stale);
                assertThat(other.isConnected()).as("a login issued another token").isTrue();
                assertThat(resumed.isConnected()).isTrue();
            }
        }
    }

    @Test
    void typingReachesTheOtherParticipantsOnOtherNodes() throws Exception {
        try (ChatClient alice = ChatClient.login(port(0), V2, "alice");
                ChatClient bob = ChatClient.login(port(1), V2, "bob");
                ChatClient carol = ChatClient.login(port(2), V2, "carol")) {
            alice.send(new TypingRequest(null, "bob", null));
            TypingNotice direct = bob.next(TypingNotice.class);
            assertThat(direct.fromUserName()).isEqualTo("alice");
            assertThat(direct.groupId()).isNull();

            alice.send(new CreateGroupRequest(null, List.of("bob", "carol"), "typists"));
            String groupId = alice.next(CreateGroupResponse.class).groupId();
            bob.next(CreateGroupResponse.class); // pushed to the members on their nodes
            carol.next(CreateGroupResponse.class);
            carol.send(new TypingRequest(null, null, groupId));
            for (ChatClient member : List.of(alice, bob)) {
                TypingNotice notice = member.next(TypingNotice.class);
                assertThat(notice.fromUserId()).isEqualTo(carol.userId());
                assertThat(notice.fromUserName()).isEqualTo("carol");
                assertThat(notice.groupId()).isEqualTo(groupId);
            }
        }
    }

    @Test
    void theTutorialsClientsChatAcrossNodes() throws Exception {
        try (ChatClient alice = ChatClient.login(port(0), V1, "alice");
                ChatClient bob = ChatClient.login(port(1), V1, "bob");
                ChatClient carol = ChatClient.login(port(2), V1, "carol")) {
            alice.send(new MessageRequest(bob.userId(), "hi bob", null, null));
            MessageResponse direct = bob.next(MessageResponse.class);
            assertThat(direct.message()).isEqualTo("hi bob");
            assertThat(direct.fromUserName()).isEqualTo("alice");
            assertThat(direct.seq()).as("v1 has no seqs").isNull();

            alice.send(new CreateGroupRequest(List.of(bob.userId(), carol.userId()), null));
            String groupId = alice.next(CreateGroupResponse.class).groupId();
            bob.next(CreateGroupResponse.class);
            carol.next(CreateGroupResponse.class);
            carol.send(new GroupMessageRequest(groupId, "from c", null));
            for (ChatClient member : List.of(alice, bob, carol)) { // the tutorial echoes it to the sender too
                GroupMessageResponse got = member.next(GroupMessageResponse.class);
                assertThat(got.message()).isEqualTo("from c");
                assertThat(got.fromUser().userName()).isEqualTo("carol");
                member.expectNothingButPresence(Duration.ofMillis(100));
            }
        }
    }

    @Test
    void aV1MemberOnAnotherNodeIsToldOfANewGroupAsTheTutorialTellsIt() throws Exception {
        try (ChatClient alice = ChatClient.login(port(0), V2, "alice");
                ChatClient bob = ChatClient.login(port(1), V1, "bob");
                ChatClient carol = ChatClient.login(port(2), V2, "carol")) {
            alice.send(new CreateGroupRequest(null, List.of("bob", "carol"), "across"));
            CreateGroupResponse reply = alice.next(CreateGroupResponse.class);

            CreateGroupResponse toBob = bob.next(CreateGroupResponse.class);
            assertThat(toBob).isEqualTo(new CreateGroupResponse(true, reply.groupId(), reply.userNameList(), null));
            assertThat(toBob.groupName()).as("v1 has no group names").isNull();
            CreateGroupResponse toCarol = carol.next(CreateGroupResponse.class);
            assertThat(toCarol.groupId()).isEqualTo(reply.groupId());
            assertThat(toCarol.groupName()).isEqualTo("across");
            bob.expectNothing(Duration.ofMillis(200));
        }
    }

    @Test
    void joinAndQuitNoticesReachMembersOnOtherNodes() throws Exception {
        try (ChatClient alice = ChatClient.login(port(0), V2, "alice");
                ChatClient bob = ChatClient.login(port(1), V2, "bob");
                ChatClient carol = ChatClient.login(port(2), V2, "carol")) {
            alice.send(new CreateGroupRequest(null, List.of("bob"), "club"));
            String groupId = alice.next(CreateGroupResponse.class).groupId();
            bob.next(CreateGroupResponse.class);

            carol.send(new JoinGroupRequest(groupId));
            carol.next(JoinGroupResponse.class);
            for (ChatClient member : List.of(alice, bob)) {
                GroupMemberJoined joined = member.next(GroupMemberJoined.class);
                assertThat(joined.groupId()).isEqualTo(groupId);
                assertThat(joined.user().userName()).isEqualTo("carol");
            }
            carol.send(new QuitGroupRequest(groupId));
            carol.next(QuitGroupResponse.class);
            for (ChatClient member : List.of(alice, bob)) {
                GroupMemberQuit quit = member.next(GroupMemberQuit.class);
                assertThat(quit.groupId()).isEqualTo(groupId);
                assertThat(quit.user().userId()).isEqualTo(carol.userId());
            }
        }
    }

    @Test
    void theDeviceLimitCountsTheAccountsDevicesOnEveryNode() throws Exception {
        stopNodes();
        startNodes(ImServerSettings.forTests().withMaxDevices(2));
        try (ChatClient onA = ChatClient.login(port(0), V2, "bob");
                ChatClient onB = ChatClient.connect(port(1), V2);
                ChatClient onC = ChatClient.connect(port(2), V2)) {
            assertThat(onB.loginWith(LoginRequest.withPassword("bob", "pw-bob")).success()).isTrue();
            LoginResponse third = onC.loginWith(LoginRequest.withPassword("bob", "pw-bob"));
            assertThat(third.success()).as("a third device, on a third node").isFalse();
            assertThat(third.reason()).contains("too many devices");
            try (ChatClient againOnA = ChatClient.connect(port(0), V2)) {
                assertThat(againOnA.loginWith(LoginRequest.withPassword("bob", "pw-bob")).success())
                        .as("a third device, beside the first").isFalse();
            }

            onB.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            boolean admitted = false;
            while (!admitted) { // the close reaches node b's count in Redis a moment after the socket closes
                assertThat(System.nanoTime()).as("admitted within 10 s of a device leaving").isLessThan(deadline);
                try (ChatClient retry = ChatClient.connect(port(2), V2)) {
                    admitted = retry.loginWith(LoginRequest.withPassword("bob", "pw-bob")).success();
                }
            }
        }
    }

    @Test
    void aDeviceCountWhoseWriteFailedIsWrittenAgainAndAllAreAfterRedisRestartsEmpty() throws Exception {
        stopNodes();
        startNodes(ImServerSettings.forTests().withMaxDevices(2));
        try (ChatClient onA = ChatClient.login(port(0), V2, "bob");
                TestRedis.Connection own = redis.connect()) {
            var admin = own.redis();
            ChatClient onB = ChatClient.login(port(1), V2, "bob");
            admin.sync().aclLogReset();
            admin.sync().aclSetuser("default", AclSetuserArgs.Builder.removeCommand(CommandType.HDEL));
            try {
                onB.close(); // node b's write of its new count (none: HDEL) is refused and not done
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (admin.sync().aclLog().stream().noneMatch(entry -> "hdel".equals(entry.get("object")))) {
                    assertThat(System.nanoTime()).as("node b tried to write its count").isLessThan(deadline);
                    Thread.onSpinWait();
                }
                awaitLogin(port(2), false, "b's stale device and a's are two");
            } finally {
                admin.sync().aclSetuser("default", AclSetuserArgs.Builder.addCommand(CommandType.HDEL));
            }
            awaitLogin(port(2), true, "node b writes the count again once it can");

            redis.stop();
            redis.restart(); // empty: node a must write its count again, not only its registry entry
            try (ChatClient onC = ChatClient.connect(port(2), V2)) {
                assertThat(onC.loginWith(LoginRequest.withPassword("bob", "pw-bob")).success()).isTrue();
                awaitLogin(port(1), false, "a third device after the restart: a's and c's counted");
            }
        }
    }

    /**
     * Logs bob in on new connections to {@code port}, each closed at once, until the outcome is {@code admitted}:
     * a count in Redis settles a heartbeat or so after a change.
     */
    private static void awaitLogin(int port, boolean admitted, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (ChatClient probe = ChatClient.connect(port, V2)) {
                if (probe.loginWith(LoginRequest.withPassword("bob", "pw-bob")).success() == admitted) {
                    return;
                }
            }
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
        }
    }

    @Test
    void passwordGuessesSpreadOverTheNodesAreThrottledAsOnOneNode() throws Exception {
        try (ChatClient registered = ChatClient.login(port(2), V2, "dave")) {
            assertThat(registered.userId()).isNotNull();
        }
        for (int guess = 0; guess < LoginThrottle.FREE_PER_SOURCE; guess++) {
            try (ChatClient guesser = ChatClient.connect(port(guess % 2), V2)) { // nodes a and b in turn
                LoginResponse refused = guesser.loginWith(LoginRequest.withPassword("dave", "guess" + guess));
                assertThat(refused.success()).isFalse();
                assertThat(refused.reason()).doesNotContain("too many");
            }
        }
        try (ChatClient guesser = ChatClient.connect(port(0), V2)) {
            LoginResponse throttled = guesser.loginWith(LoginRequest.withPassword("dave", "pw-dave"));
            assertThat(throttled.success()).as("node a saw 3 guesses, the cluster 5").isFalse();
            assertThat(throttled.reason()).startsWith("too many failed logins");
        }
    }

    @Test
    void theTypingRateLimitCountsTheSendersDevicesOnEveryNode() throws Exception {
        try (ChatClient aliceOnA = ChatClient.login(port(0), V2, "alice");
                ChatClient aliceOnB = ChatClient.connect(port(1), V2);
                ChatClient bob = ChatClient.login(port(2), V2, "bob")) {
            assertThat(aliceOnB.loginWith(LoginRequest.withPassword("alice", "pw-alice")).success()).isTrue();
            aliceOnA.send(new TypingRequest(null, "bob", null));
            assertThat(bob.next(TypingNotice.class).fromUserName()).isEqualTo("alice");

            aliceOnB.send(new TypingRequest(null, "bob", null)); // within the interval, from another node
            aliceOnB.send(new TypingRequest(null, "bob", null));
            bob.expectNothing(Duration.ofMillis(500));
        }
    }

    private static void awaitClosed(ChatClient client) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (client.isConnected()) {
            assertThat(System.nanoTime()).as("closed within 10 s").isLessThan(deadline);
            client.nextOrNull(20); // reads what is pending, notices the close
        }
    }
}
