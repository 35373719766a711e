package dev.switchboard.im.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.ErrorResponse;
import dev.switchboard.im.protocol.GroupMessageRequest;
import dev.switchboard.im.protocol.GroupMessageResponse;
import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.PresenceChanged;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.server.ImServer;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.server.PostgresOptions;
import dev.switchboard.im.store.postgres.TestPostgres;
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
 * Cluster mode as operators run it: nodes configured with {@code --store postgres} and {@code --cluster}, on a
 * real PostgreSQL and a real Redis, both started by the test. Each node has its own store instance (its own pool
 * and writer), as separate processes would.
 */
class ClusterOnPostgresTest {

    private static final int V2 = 2;
    private static final Duration CATCH_UP = Duration.ofSeconds(30); // so a quick delivery proves a notice

    private static TestPostgres postgres;
    private static TestRedis redis;

    private final List<ImServer> nodes = new ArrayList<>();

    @BeforeAll
    static void startServices() throws Exception {
        postgres = TestPostgres.start();
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopServices() throws Exception {
        redis.close();
        postgres.close();
    }

    @BeforeEach
    void startNodes() throws Exception {
        PostgresOptions database = new PostgresOptions(postgres.freshSchema(), null, null, 2);
        for (String id : List.of("n1", "n2")) {
            ClusterSettings cluster = ClusterSettings.of(id, redis.uri())
                    .withIntervals(Duration.ofMillis(200), Duration.ofSeconds(2), CATCH_UP);
            nodes.add(ImServer.start(ImServerSettings.forTests().withPostgres(database).withCluster(cluster),
                    Clock.systemUTC(), false));
        }
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(ImServer::close);
    }

    @Test
    void messagesAndGroupsAcrossNodesOnOneDatabase() throws Exception {
        try (ChatClient alice = ChatClient.login(nodes.get(0).port(), V2, "alice");
                ChatClient bob = ChatClient.login(nodes.get(1).port(), V2, "bob")) {
            for (int i = 1; i <= 20; i++) {
                alice.send(new MessageRequest(bob.userId(), "m" + i, "c" + i, null));
            }
            assertThat(alice.next(SendAck.class, 20)).extracting(SendAck::clientMsgId)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 20)
                            .mapToObj(i -> "c" + i).toList());
            List<MessageResponse> got = bob.next(MessageResponse.class, 20);
            for (int i = 0; i < 20; i++) {
                assertThat(got.get(i).message()).isEqualTo("m" + (i + 1));
                assertThat(got.get(i).seq()).isEqualTo(i + 1L);
            }

            // a retry of c3 through the other node: the original answer, nothing stored or delivered again
            try (ChatClient aliceOnN2 = ChatClient.connect(nodes.get(1).port(), V2)) {
                assertThat(aliceOnN2.loginWith(LoginRequest.withPassword("alice", "pw-alice")).success()).isTrue();
                aliceOnN2.send(new MessageRequest(bob.userId(), "m3", "c3", null));
                assertThat(aliceOnN2.next(SendAck.class).messageId()).isEqualTo(got.get(2).messageId());
            }
            Object next = bob.nextOrNull(300);
            while (next instanceof PresenceChanged) { // alice's second device came online, on bob's node
                next = bob.nextOrNull(300);
            }
            assertThat(next).as("nothing delivered again").isNull();

            alice.send(new CreateGroupRequest(null, List.of("bob"), "two nodes"));
            String groupId = alice.next(CreateGroupResponse.class).groupId();
            assertThat(bob.nextEvent().event()).isEqualTo("created");
            bob.send(new GroupMessageRequest(groupId, "from n2", "g1"));
            GroupMessageResponse atAlice = alice.nextSkipping(GroupMessageResponse.class, new ArrayList<>());
            assertThat(atAlice.message()).isEqualTo("from n2");
            assertThat(atAlice.fromUser().userName()).isEqualTo("bob");
        }
    }

    @Test
    void aShortPostgresOutageFailsSendsCleanlyAndServiceResumesByItself() throws Exception {
        try (ChatClient alice = ChatClient.login(nodes.get(0).port(), V2, "alice");
                ChatClient bob = ChatClient.login(nodes.get(1).port(), V2, "bob")) {
            postgres.stopServer();
            try {
                alice.send(new MessageRequest(bob.userId(), "while down", "d1", null));
                List<Object> skipped = new ArrayList<>();
                ErrorResponse refused = alice.nextSkipping(ErrorResponse.class, skipped);
                assertThat(refused.code()).isEqualTo("INTERNAL");
                assertThat(skipped).as("no SendAck for what was not stored").noneMatch(SendAck.class::isInstance);
                assertThat(alice.isConnected()).as("a store outage closes nobody").isTrue();
            } finally {
                postgres.restartServer();
            }
            // The client retries with the same clientMsgId, as a v2 client does after INTERNAL, until it is stored.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            SendAck ack = null;
            while (ack == null) {
                assertThat(System.nanoTime()).as("service resumes by itself").isLessThan(deadline);
                alice.send(new MessageRequest(bob.userId(), "while down", "d1", null));
                Object reply = alice.next();
                while (reply instanceof PresenceChanged) {
                    reply = alice.next();
                }
                if (reply instanceof SendAck stored) {
                    ack = stored;
                } else {
                    assertThat(reply).isInstanceOf(ErrorResponse.class);
                    assertThat(((ErrorResponse) reply).code()).isEqualTo("INTERNAL");
                }
            }
            alice.send(new MessageRequest(bob.userId(), "after", "d2", null));
            assertThat(alice.next(SendAck.class).clientMsgId()).isEqualTo("d2");
            // Bob's device on n2 may have been closed by a delivery read that failed during the outage (so that its
            // client resyncs); a login now, as its reconnect would be, gets each message once, in order.
            try (ChatClient bobAgain = ChatClient.connect(nodes.get(1).port(), V2)) {
                assertThat(bobAgain.loginWith(new LoginRequest("bob", "pw-bob", null, 0L)).success()).isTrue();
                List<MessageResponse> got = bobAgain.next(MessageResponse.class, 2);
                assertThat(got).extracting(MessageResponse::message).containsExactly("while down", "after");
                assertThat(got).extracting(MessageResponse::seq).containsExactly(1L, 2L);
                assertThat(got.get(0).messageId()).isEqualTo(ack.messageId());
                bobAgain.expectNothing(Duration.ofMillis(300));
            }
        }
    }
}
