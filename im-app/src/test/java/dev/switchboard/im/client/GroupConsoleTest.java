package dev.switchboard.im.client;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.CreateGroupResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console client's group commands end to end, against a real server over loopback: groups are named by name,
 * and every reply and event is one greppable line that shows the group's name next to its id.
 */
class GroupConsoleTest {

    private static final String AT = "at=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d";

    private final ImServer server = ImServer.start(ImServerSettings.forTests(), Clock.systemUTC(), false);
    private final OutputLines out = new OutputLines();
    private PipedOutputStream stdin;
    private CompletableFuture<Integer> exit;

    @BeforeEach
    void startAlice() throws Exception {
        for (String user : new String[] {"bob", "carol"}) {
            try (ChatClient registered = ChatClient.login(server.port(), 2, user)) {
                assertThat(registered.userId()).as("%s exists, so alice can add them", user).isNotNull();
            }
        }
        stdin = new PipedOutputStream();
        exit = startConsole("alice", stdin, out);
    }

    /** Runs the console client as {@code user}, reading what is written to {@code input}, until it is closed. */
    private CompletableFuture<Integer> startConsole(String user, PipedOutputStream input, OutputLines output)
            throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(new PipedInputStream(input),
                StandardCharsets.UTF_8));
        ClientSettings settings = ClientSettings.of("127.0.0.1", server.port(), user, "pw-" + user, 2, 1)
                .withTimings(Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofMillis(500));
        dev.switchboard.im.client.ChatClient client = new dev.switchboard.im.client.ChatClient(settings,
                new PlainConsole(reader, output.stream, null), new KnownNames());
        CompletableFuture<Integer> exited = CompletableFuture.supplyAsync(() -> {
            try {
                return client.run();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        output.await(line -> line.startsWith("[login] ok user=" + user));
        return exited;
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

    private String awaitMatching(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return out.await(line -> pattern.matcher(line).matches());
    }

    @Test
    void createRenameKickAndListANamedGroupByName() throws Exception {
        type("createGroup bob,carol as Night shift");
        Matcher created = Pattern.compile("\\[create-group\\] ok group=Night shift\\((\\w+)\\) members=(.*)")
                .matcher(out.await(line -> line.startsWith("[create-group]")));
        assertThat(created.matches()).isTrue();
        String id = Pattern.quote(created.group(1));
        assertThat(created.group(2).split(",", -1)).containsExactlyInAnyOrder("alice", "bob", "carol");
        awaitMatching("\\[group-event\\] group=Night shift\\(" + id + "\\) event=created by=alice\\(\\w+\\) " + AT
                + " seq=\\d+ id=\\d+ name=Night shift");

        type("rename \"night shift\" Day shift");
        awaitMatching("\\[group-change\\] ok command=rename group=(Night|Day) shift\\(" + id + "\\) changed=true");
        awaitMatching("\\[group-event\\] group=Night shift\\(" + id + "\\) event=renamed by=alice\\(\\w+\\) " + AT
                + " seq=\\d+ id=\\d+ name=Day shift");

        type("kick Day\\ shift carol");
        awaitMatching("\\[group-change\\] ok command=kick group=Day shift\\(" + id + "\\) changed=true");
        awaitMatching("\\[group-event\\] group=Day shift\\(" + id + "\\) event=kicked by=alice\\(\\w+\\)"
                + " user=carol\\(\\w+\\) " + AT + " seq=\\d+ id=\\d+");

        type("groups");
        out.awaitLine("[groups] count=1");
        awaitMatching("\\[group\\] group=Day shift\\(" + id + "\\) role=owner members=2 muted=false mutedMe=false");

        type("groupInfo \"Day shift\"");
        awaitMatching("\\[group-info\\] group=Day shift\\(" + id + "\\) muted=false count=2");
        awaitMatching("\\[group-member\\] group=Day shift\\(" + id + "\\) user=alice\\(\\w+\\) role=owner"
                + " muted=false online=true");
        awaitMatching("\\[group-member\\] group=Day shift\\(" + id + "\\) user=bob\\(\\w+\\) role=member"
                + " muted=false online=false");

        type("kick \"Night shift\" bob");
        out.awaitLine("[usage] no group named 'Night shift' known; run groups to list yours, or give the id");

        assertThat(out.lines()).noneMatch(line -> line.startsWith("[error]") || line.startsWith("[warn]"))
                .noneMatch(line -> line.contains("\n"));
        assertThat(out.starting("[group-change]")).hasSize(2);
    }

    @Test
    void aGroupMadeBeforeThisRunIsNamedFromTheFirstCommand() throws Exception {
        try (ChatClient bob = ChatClient.login(server.port(), 2, "bob")) {
            bob.send(new CreateGroupRequest(null, List.of("carol"), "Book club"));
            bob.next(CreateGroupResponse.class);
        }
        try (ChatClient carol = ChatClient.login(server.port(), 2, "carol")) {
            carol.ack(carol.nextEvent().seq()); // acknowledged: a new run gets no backlog to learn the name from
        }
        OutputLines carolsOut = new OutputLines();
        PipedOutputStream carolsIn = new PipedOutputStream();
        CompletableFuture<Integer> carolsExit = startConsole("carol", carolsIn, carolsOut);
        carolsIn.write("sendToGroup \"Book club\" hello from a new run\n".getBytes(StandardCharsets.UTF_8));
        carolsIn.flush();
        carolsOut.await(line -> line.startsWith("[ack]") || line.startsWith("[usage]"));
        assertThat(carolsOut.starting("[usage]")).as("the name is known without running groups").isEmpty();
        carolsIn.close();
        assertThat(carolsExit.get(10, TimeUnit.SECONDS)).isZero();
    }
}
