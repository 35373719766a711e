package dev.switchboard.im.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.client.fake.FakeServer;
import dev.switchboard.im.client.fake.FakeState;
import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A running client whose input stays open, against a fake server that drops the connection: resume with token and
 * lastSeq, duplicate deliveries, cumulative acks, and retried messages.
 */
class ChatClientTest {

    private final FakeServer server = FakeServer.start();
    private final FakeState state = server.state();
    private final OutputLines out = new OutputLines();
    private PipedOutputStream stdin;
    private CompletableFuture<Integer> exit;

    @BeforeEach
    void startClient() throws IOException {
        stdin = new PipedOutputStream();
        BufferedReader reader = new BufferedReader(new InputStreamReader(new PipedInputStream(stdin),
                StandardCharsets.UTF_8));
        ClientSettings settings = ClientSettings.of("127.0.0.1", server.port(), "alice", FakeState.PASSWORD, 2, 1)
                .withTimings(Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofMillis(300));
        ChatClient client = new ChatClient(settings, new PlainConsole(reader, out.stream, null), new KnownNames());
        exit = CompletableFuture.supplyAsync(() -> {
            try {
                return client.run();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        out.awaitLine("[login] ok user=alice id=u-alice via=password");
    }

    @AfterEach
    void stop() throws Exception {
        stdin.close();
        assertThat(out.lines()).noneMatch(line -> line.startsWith("[error]") || line.startsWith("[warn]"));
        try {
            assertThat(exit.get(5, TimeUnit.SECONDS)).isZero();
        } finally {
            server.close();
        }
    }

    private void type(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private static MessageResponse fromBob(long seq) {
        return new MessageResponse("u-bob", "bob", "m" + seq, 100 + seq, seq, 0L);
    }

    @Test
    void reconnectsAndResumesWithTheTokenAndLastSeqDroppingRedeliveredDuplicates() {
        for (long seq = 1; seq <= 3; seq++) {
            server.push(fromBob(seq));
        }
        out.await(() -> state.lastAck() == 3, "DeliveryAck(3)");
        assertThat(state.acks).isSorted().hasSizeLessThanOrEqualTo(3);

        server.dropConnection();

        out.awaitLine("[login] ok user=alice id=u-alice via=token");
        LoginRequest resume = state.logins.get(1);
        assertThat(resume.userName()).isEqualTo("alice");
        assertThat(resume.password()).isNull();
        assertThat(resume.token()).isNotNull();
        assertThat(resume.lastSeq()).isEqualTo(3L);
        assertThat(out.lines()).contains("[connection] lost; reconnecting", "[connection] restored 127.0.0.1:"
                + server.port());

        server.push(fromBob(2));
        server.push(fromBob(3));
        server.push(fromBob(4));
        out.await(() -> state.lastAck() == 4, "DeliveryAck(4)");

        assertThat(out.starting("[message] ")).containsExactly(
                "[message] from=bob(u-bob) seq=1 id=101 text=m1",
                "[message] from=bob(u-bob) seq=2 id=102 text=m2",
                "[message] from=bob(u-bob) seq=3 id=103 text=m3",
                "[message] from=bob(u-bob) seq=4 id=104 text=m4");
    }

    @Test
    void aRejectedTokenFallsBackToThePassword() {
        server.push(fromBob(7));
        out.await(() -> state.lastAck() == 7, "DeliveryAck(7)");
        state.acceptTokens = false;

        server.dropConnection();

        out.await(() -> state.logins.size() == 3, "three logins");
        out.awaitLine("[login] token rejected (unknown token); using the password");
        assertThat(state.logins.get(1).token()).isNotNull();
        assertThat(state.logins.get(2)).isEqualTo(new LoginRequest("alice", FakeState.PASSWORD, null, 7L));
        out.await(() -> out.starting("[login] ok").size() == 2, "a second successful login");
    }

    @Test
    void anUnacknowledgedMessageIsSentAgainWithTheSameClientMsgIdAfterReconnecting() throws IOException {
        state.ackMessages = false;
        type("sendToUser bob hello again");
        out.await(() -> state.requests(MessageRequest.class).size() == 1, "the first send");
        state.ackMessages = true;

        server.dropConnection();

        out.await(() -> state.requests(MessageRequest.class).size() == 2, "the retry");
        MessageRequest first = state.requests(MessageRequest.class).get(0);
        assertThat(state.requests(MessageRequest.class).get(1)).isEqualTo(first);
        out.awaitLine("[ack] clientMsgId=" + first.clientMsgId() + " messageId=101");
    }

    @Test
    void endOfInputWaitsBrieflyThenWarnsAboutUnacknowledgedMessages() throws Exception {
        state.ackMessages = false;
        type("sendToUser bob are you there");

        stdin.close();

        assertThat(exit.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(out.lines()).last().isEqualTo("[warn] exiting with 1 message(s) the server has not acknowledged");
        out.clear();
    }
}
