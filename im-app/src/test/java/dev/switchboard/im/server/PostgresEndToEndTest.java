package dev.switchboard.im.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.store.postgres.TestPostgres;
import dev.switchboard.im.testing.ChatClient;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The IM server on the PostgreSQL store, end to end: a login, a direct message with its SendAck and delivery, and a
 * reconnect with lastSeq, the reconnect going to a second server on the same database (a second node).
 */
class PostgresEndToEndTest {

    private static final int V2 = 2;

    private static TestPostgres postgres;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = TestPostgres.start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        postgres.close();
    }

    @Test
    void loginSendDeliverAndReconnectWithLastSeqOnAnotherNode() throws Exception {
        ImServerSettings settings = ImServerSettings.forTests()
                .withPostgres(new PostgresOptions(postgres.freshSchema(), null, null, 2));
        try (ImServer first = ImServer.start(settings, Clock.systemUTC(), false);
                ImServer second = ImServer.start(settings, Clock.systemUTC(), false);
                ChatClient alice = ChatClient.login(first.port(), V2, "alice")) {
            String bobId;
            try (ChatClient bob = ChatClient.login(first.port(), V2, "bob")) {
                bobId = bob.userId();
                alice.send(new MessageRequest(bobId, "one", "c1", null));
                SendAck ack = alice.next(SendAck.class);
                assertThat(ack.clientMsgId()).isEqualTo("c1");
                assertThat(ack.messageId()).isPositive();
                MessageResponse delivered = bob.next(MessageResponse.class);
                assertThat(delivered.message()).isEqualTo("one");
                assertThat(delivered.fromUserId()).isEqualTo(alice.userId());
                assertThat(delivered.seq()).isEqualTo(1L);
                assertThat(delivered.messageId()).isEqualTo(ack.messageId());
            }
            alice.send(new MessageRequest(bobId, "two", "c2", null));
            alice.send(new MessageRequest(bobId, "three", "c3", null));
            assertThat(alice.next(SendAck.class, 2)).extracting(SendAck::clientMsgId).containsExactly("c2", "c3");
            alice.send(new MessageRequest(bobId, "two", "c2", null)); // a retry: answered, stored once
            assertThat(alice.next(SendAck.class).clientMsgId()).isEqualTo("c2");

            // Never acknowledged, but this device says it has seq 1: it gets 2 and 3, from the other node.
            try (ChatClient bob = ChatClient.connect(second.port(), V2)) {
                assertThat(bob.loginWith(new LoginRequest("bob", "pw-bob", null, 1L)).userId()).isEqualTo(bobId);
                List<MessageResponse> backlog = bob.next(MessageResponse.class, 2);
                assertThat(backlog).extracting(MessageResponse::seq).containsExactly(2L, 3L);
                assertThat(backlog).extracting(MessageResponse::message).containsExactly("two", "three");
            }
        }
    }
}
