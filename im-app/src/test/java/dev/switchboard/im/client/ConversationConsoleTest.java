package dev.switchboard.im.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.MarkReadRequest;
import dev.switchboard.im.protocol.MarkReadResponse;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.server.ImServer;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.testing.ChatClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console client's history, read, edit and recall commands end to end, against a real server over loopback:
 * one greppable line per event, the peer by name (also one this client was never sent a packet from), local
 * times, and the edited, recalled and read state of a message.
 */
class ConversationConsoleTest {

    private static final String AT = "at=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d";

    private final ImServer server = ImServer.start(ImServerSettings.forTests(), Clock.systemUTC(), false);
    private final OutputLines out = new OutputLines();
    private PipedOutputStream stdin;
    private CompletableFuture<Integer> exit;
    private String aliceId;

    @BeforeEach
    void startAlice() throws Exception {
        try (ChatClient registered = ChatClient.login(server.port(), 2, "bob")) {
            assertThat(registered.userId()).as("bob exists, so alice can write to him").isNotNull();
        }
        stdin = new PipedOutputStream();
        BufferedReader reader = new BufferedReader(new InputStreamReader(new PipedInputStream(stdin),
                StandardCharsets.UTF_8));
        ClientSettings settings = ClientSettings.of("127.0.0.1", server.port(), "alice", "pw-alice", 2, 1)
                .withTimings(Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofMillis(500));
        dev.switchboard.im.client.ChatClient client = new dev.switchboard.im.client.ChatClient(settings,
                new PlainConsole(reader, out.stream, null), new KnownNames());
        exit = CompletableFuture.supplyAsync(() -> {
            try {
                return client.run();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Matcher login = Pattern.compile("\\[login\\] ok user=alice id=(\\w+) via=password")
                .matcher(out.await(line -> line.startsWith("[login]")));
        assertThat(login.matches()).isTrue();
        aliceId = login.group(1);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            stdin.close();
            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        } finally {
            server.close();
        }
    }

    private void type(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private Matcher awaitMatching(String regex) {
        Pattern pattern = Pattern.compile(regex);
        Matcher matcher = pattern.matcher(out.await(line -> pattern.matcher(line).matches()));
        assertThat(matcher.matches()).isTrue();
        return matcher;
    }

    @Test
    void historyReadEditAndRecallNameThePeerAndMarkTheMessage() throws Exception {
        try (ChatClient bob = ChatClient.login(server.port(), 2, "bob")) {
            type("sendToUser bob hello bob");
            long id = bob.next(MessageResponse.class).messageId();
            String bobId = Pattern.quote(bob.userId());

            // alice has never been sent a packet naming bob: the history page names him.
            type("history bob");
            awaitMatching("\\[history\\] with=bob\\(" + bobId + "\\) count=1 more=false peerReadUpTo=0");
            awaitMatching("\\[history-message\\] id=" + id + " " + AT + " from=alice\\(\\w+\\) text=hello bob");

            bob.send(new MarkReadRequest(aliceId, null, null, id));
            bob.nextSkipping(MarkReadResponse.class, new ArrayList<>());
            awaitMatching("\\[read\\] with=bob\\(" + bobId + "\\) by=bob\\(" + bobId + "\\) upTo=" + id
                    + " seq=\\d+");

            type("edit bob " + id + " hello, bob");
            awaitMatching("\\[change\\] ok id=" + id + " " + AT);
            awaitMatching("\\[edited\\] with=bob\\(" + bobId + "\\) id=" + id + " by=alice\\(\\w+\\) " + AT
                    + " seq=\\d+ text=hello, bob");
            type("history bob");
            awaitMatching("\\[history\\] with=bob\\(" + bobId + "\\) count=1 more=false peerReadUpTo=" + id);
            awaitMatching("\\[history-message\\] id=" + id + " " + AT + " from=alice\\(\\w+\\) edited="
                    + AT.substring(3) + " read text=hello, bob");

            type("recall bob " + id);
            awaitMatching("\\[recalled\\] with=bob\\(" + bobId + "\\) id=" + id + " by=alice\\(\\w+\\) " + AT
                    + " seq=\\d+");
            type("conversations");
            awaitMatching("\\[conversation\\] with=bob\\(" + bobId + "\\) unread=0 readUpTo=0 activeAt=\\d+ last="
                    + id + " " + AT + " from=alice\\(\\w+\\) recalled text=");

            type("read bob " + id);
            awaitMatching("\\[read-mark\\] with=bob\\(" + bobId + "\\) upTo=" + id);
        }
    }

    @Test
    void aGroupsHistoryShowsItsEventsAsEventLines() throws Exception {
        type("createGroup bob as Crew");
        String group = awaitMatching("\\[create-group\\] ok group=Crew\\((\\w+)\\) members=alice,bob").group(1);
        type("sendToGroup Crew hi crew");
        awaitMatching("\\[ack\\] clientMsgId=\\S+ messageId=\\d+");

        type("groupHistory Crew");
        awaitMatching("\\[history\\] with=group:Crew\\(" + group + "\\) count=2 more=false");
        awaitMatching("\\[history-message\\] id=\\d+ " + AT + " from=alice\\(\\w+\\) text=hi crew");
        awaitMatching("\\[history-event\\] id=\\d+ " + AT + " event=created by=alice\\(" + Pattern.quote(aliceId)
                + "\\) name=Crew");
        assertThat(out.lines()).noneMatch(line -> line.startsWith("[error]") || line.startsWith("[warn]"));
    }
}
