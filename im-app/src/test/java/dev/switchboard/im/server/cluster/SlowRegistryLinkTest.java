package dev.switchboard.im.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.LogoutAllRequest;
import dev.switchboard.im.protocol.LogoutAllResponse;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.server.ImServer;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.store.StoreModule;
import dev.switchboard.im.store.memory.MemoryStorage;
import dev.switchboard.im.testing.ChatClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes, the second of which reaches Redis over a link that delays its commands by {@link #DELAY}: what another
 * node starts right after a login there was answered must still find the new device. A login used to be answered
 * before its node's registry entry reached Redis (the entry was sent when the device was bound, without waiting),
 * so a log out everywhere from another node right after it could miss the device and leave it logged in; on CI
 * that happened now and then, here it would every time. The answer now waits for the entry.
 */
class SlowRegistryLinkTest {

    private static final int V2 = 2;
    private static final Duration DELAY = Duration.ofMillis(300);
    /** The backstop that offers every local user's newest seq: far longer than a test waits for a push. */
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private TestRedis redis;
    private SlowLink slow;
    private ImServer direct;
    private ImServer delayed;

    @BeforeEach
    void start() {
        redis = TestRedis.start();
        slow = SlowLink.to(redis.uri(), DELAY);
        MemoryStorage store = new MemoryStorage();
        direct = node("a", redis.uri().toString(), store);
        delayed = node("c", slow.uri(redis.uri()).toString(), store);
    }

    private static ImServer node(String id, String redisUri, MemoryStorage store) {
        ClusterSettings cluster = ClusterSettings.of(id, URI.create(redisUri))
                .withIntervals(Duration.ofMillis(200), Duration.ofSeconds(5), CATCH_UP);
        return ImServer.start(ImServerSettings.forTests().withCluster(cluster), Clock.systemUTC(), false,
                StoreModule.shared(store));
    }

    @AfterEach
    void stop() {
        delayed.close();
        direct.close();
        slow.close();
        redis.close();
    }

    @Test
    void aLogoutEverywhereRightAfterALoginOnASlowNodeClosesThatLogin() throws Exception {
        try (ChatClient here = ChatClient.login(direct.port(), V2, "bob");
                ChatClient there = ChatClient.connect(delayed.port(), V2)) {
            assertThat(there.loginWith(LoginRequest.withPassword("bob", "pw-bob")).success()).isTrue();

            here.send(new LogoutAllRequest());
            here.next(LogoutAllResponse.class);
            awaitClosed(there);
        }
    }

    @Test
    void aMessageSentRightAfterALoginOnASlowNodeIsPushedThereAtOnce() throws Exception {
        try (ChatClient alice = ChatClient.login(direct.port(), V2, "alice");
                ChatClient bob = ChatClient.connect(delayed.port(), V2)) {
            assertThat(bob.loginWith(LoginRequest.withPassword("bob", "pw-bob")).success()).isTrue();

            alice.send(new MessageRequest(bob.userId(), "right after", "m1", null));
            alice.next(SendAck.class);
            // Without the entry the notice goes nowhere and only the catch-up (a minute here) would bring it.
            MessageResponse pushed = bob.next(MessageResponse.class);
            assertThat(pushed.message()).isEqualTo("right after");
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
