package dev.switchboard.im.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.client.fake.FakeServer;
import dev.switchboard.im.client.fake.FakeState;
import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.GroupMessageRequest;
import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MyGroupsRequest;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code client} command in batch mode, end to end: script on stdin, event lines on stdout. */
class ClientCommandTest {

    private final FakeServer server = FakeServer.start();
    private final FakeState state = server.state();
    private final OutputLines out = new OutputLines();

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String stdin, String... args) {
        ClientCommand command = new ClientCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                out.stream, false, false);
        String[] all = new String[args.length + 2];
        all[0] = "--port";
        all[1] = String.valueOf(server.port());
        System.arraycopy(args, 0, all, 2, args.length);
        return new CommandLine(command).execute(all);
    }

    @Test
    void scriptOnStdinPrintsOneLinePerEventAndExitsZeroAtEndOfInput() {
        String script = String.join("\n", "secret", "sendToUser bob hi there  you", "sendToUser nobody hello",
                "createGroup bob,carol", "joinGroup g1", "listGroupMembers g1", "quitGroup nope", "bogus",
                "sendToUser bob", "logout", "sendToUser bob after logout", "login", "") + "\n";

        int exit = run(script, "--user", "alice");

        assertThat(exit).isZero();
        List<String> lines = out.lines();
        assertThat(lines.get(0)).isEqualTo("[login] ok user=alice id=u-alice via=password");
        MessageRequest sent = state.requests(MessageRequest.class).get(0);
        assertThat(sent.toUserName()).isEqualTo("bob");
        assertThat(sent.message()).isEqualTo("hi there  you");
        assertThat(lines).contains(
                "[ack] clientMsgId=" + sent.clientMsgId() + " messageId=101",
                "[error] request=3 code=NO_SUCH_USER clientMsgId="
                        + state.requests(MessageRequest.class).stream().filter(r -> "nobody".equals(r.toUserName()))
                                .findFirst().orElseThrow().clientMsgId() + " reason=no user named nobody",
                "[create-group] ok group=g1 members=bob,carol",
                "[join-group] ok group=g1",
                "[members] group=g1 count=2 members=alice(u-alice):online,bob(u-bob):offline",
                "[quit-group] failed group=nope reason=not a member",
                "[usage] unknown command 'bogus'; type help for the list",
                "[usage] usage: sendToUser <userName> <message...>",
                "[logout] ok",
                "[error] not logged in; type login");
        assertThat(out.starting("[login] ok")).containsExactly("[login] ok user=alice id=u-alice via=password",
                "[login] ok user=alice id=u-alice via=password");
        assertThat(lines).allMatch(line -> line.startsWith("["));
        assertThat(state.logins).extracting(LoginRequest::password).containsExactly("secret", "secret");
    }

    @Test
    void aLoginTypedLastIsAnsweredBeforeTheClientExits() {
        state.loginReplyDelay = Duration.ofMillis(300);

        int exit = run("logout\nlogin\n", "--user", "alice", "--password", "secret");

        assertThat(exit).isZero();
        assertThat(out.lines()).containsExactly("[login] ok user=alice id=u-alice via=password", "[logout] ok",
                "[login] ok user=alice id=u-alice via=password");
        assertThat(state.requests(MyGroupsRequest.class)).as("the group names asked for after each login")
                .hasSize(2);
    }

    @Test
    void helpListsEveryCommandOnePerLine() {
        assertThat(run("help\n", "--user", "alice", "--password", "secret")).isZero();

        List<String> help = new ConsoleCommands(2, () -> "unused").help();
        assertThat(out.starting("[help] ")).hasSize(help.size()).hasSizeGreaterThan(ConsoleCommands.names().size())
                .allMatch(line -> !line.contains("\n"));
    }

    @Test
    void aFailedFirstLoginExitsNonZero() {
        int exit = run("sendToUser bob hi\n", "--user", "alice", "--password", "wrong");

        assertThat(exit).isEqualTo(1);
        assertThat(out.lines()).containsExactly("[login] failed user=alice reason=wrong password");
        assertThat(state.requests).isEmpty();
    }

    @Test
    void noServerExitsNonZero() {
        server.close();

        int exit = run("", "--user", "alice", "--password", "secret");

        assertThat(exit).isEqualTo(1);
        assertThat(out.lines()).singleElement().asString().startsWith("[error] cannot connect to 127.0.0.1:");
    }

    @Test
    void version1AddressesUsersByIdAndHasNoTokensOrAcks() {
        String script = "sendToUser u-bob hi\nsendToGroup g1 hi all\ncreateGroup u-bob u-carol\n";

        int exit = run(script, "--user", "alice", "--password", "secret", "--protocol", "1");

        assertThat(exit).isZero();
        assertThat(state.logins).containsExactly(LoginRequest.withPassword("alice", "secret"));
        assertThat(state.requests).containsExactly(new MessageRequest("u-bob", "hi", null, null),
                new GroupMessageRequest("g1", "hi all", null),
                new CreateGroupRequest(List.of("u-bob", "u-carol"), null));
        assertThat(out.lines()).containsExactly("[login] ok user=alice id=u-alice via=password",
                "[group-message] group=g1 from=alice(u-alice) text=hi all",
                "[create-group] ok group=g1 members=u-bob,u-carol");
    }

    @Test
    void jsonbWorksWithVersion2() {
        int exit = run("sendToUser bob hi\n", "--user", "alice", "--password", "secret", "--serializer", "jsonb");

        assertThat(exit).isZero();
        assertThat(out.starting("[ack] ")).hasSize(1);
        assertThat(state.requests(MyGroupsRequest.class)).as("the group names asked for once, after the login")
                .hasSize(1);
    }

    @Test
    void badOptionsExitWithUsageError() {
        assertThat(run("", "--user", "alice", "--password", "x", "--serializer", "jsonb", "--protocol", "1"))
                .isEqualTo(2);
        assertThat(run("", "--user", "alice", "--password", "x", "--protocol", "3")).isEqualTo(2);
        assertThat(run("", "--password", "x")).isEqualTo(2);
        assertThat(run("", "--user", "alice", "--serializer", "xml")).isEqualTo(2);
        for (String servers : List.of("nohost", "h:0", "h:65536", ":80", "h:x", "[::1]", "a:1,b")) {
            assertThat(run("", "--user", "alice", "--password", "x", "--servers", servers)).as(servers).isEqualTo(2);
        }
        assertThat(state.logins).isEmpty();
    }

    @Test
    void serversReplaceHostAndPortAndTheFirstThatAnswersIsUsed() {
        assertThat(run("sendToUser bob hi\n", "--user", "alice", "--password", FakeState.PASSWORD, "--batch",
                "--servers", "127.0.0.1:1,[::1]:1,127.0.0.1:" + server.port())).isZero();
        assertThat(state.logins).hasSize(1);
    }

    @Test
    void tlsOptionsAreCheckedBeforeConnecting(@TempDir Path dir) {
        Path missing = dir.resolve("missing.pem");

        assertThat(usageError("--trust", missing.toString())).isEqualTo("--trust needs --tls");
        assertThat(usageError("--insecure")).isEqualTo("--insecure needs --tls");
        assertThat(usageError("--tls", "--insecure", "--trust", missing.toString()))
                .isEqualTo("--trust and --insecure are mutually exclusive");
        assertThat(usageError("--tls", "--trust", missing.toString()))
                .isEqualTo("--trust " + missing + ": does not exist");
        assertThat(state.logins).isEmpty();
    }

    /** Runs the command expecting exit code 2; returns the first line of standard error. */
    private String usageError(String... tlsArgs) {
        ClientCommand command = new ClientCommand(new ByteArrayInputStream(new byte[0]), out.stream, false, false);
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(command);
        line.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(List.of("--port", String.valueOf(server.port()), "--user", "alice",
                "--password", "x"));
        args.addAll(List.of(tlsArgs));
        assertThat(line.execute(args.toArray(String[]::new))).isEqualTo(2);
        return err.toString().lines().findFirst().orElse("");
    }
}
