package dev.switchboard.im.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.PresenceChanged;
import dev.switchboard.im.protocol.PresenceVisibilityRequest;
import dev.switchboard.im.protocol.PresenceVisibilityResponse;
import dev.switchboard.im.protocol.TypingNotice;
import dev.switchboard.im.server.ImServer;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.testing.ChatClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The console client's typing and presence commands in batch mode against a real server: one line per event. */
class PresenceConsoleTest {

    private final OutputLines out = new OutputLines();
    private final ImServer server = ImServer.start(
            ImServerSettings.forTests().withPresenceSettle(Duration.ofSeconds(30)), Clock.systemUTC(), false);

    @AfterEach
    void stop() {
        server.close();
    }

    private int console(String stdin, String user) {
        ClientCommand command = new ClientCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                out.stream, false, false);
        return new CommandLine(command).execute("--port", String.valueOf(server.port()), "--password",
                "pw-" + user, "--user", user);
    }

    @Test
    void typingPresenceQueriesHidingAndPushesPrintOneGreppableLineEach() throws Exception {
        try (ChatClient registered = ChatClient.login(server.port(), 2, "bob")) {
            assertThat(registered.userId()).as("bob exists, so alice can make a group with him").isNotNull();
        }
        try (ChatClient alice = ChatClient.login(server.port(), 2, "alice")) {
            alice.send(new CreateGroupRequest(null, List.of("bob")));
            String groupId = alice.next(CreateGroupResponse.class).groupId();
            // Alice answers bob's typing by hiding, which bob's console must print as alice going offline.
            CompletableFuture<TypingNotice> typed = CompletableFuture.supplyAsync(() -> {
                try {
                    TypingNotice notice = null;
                    while (notice == null) {
                        Object packet = alice.next();
                        notice = packet instanceof TypingNotice typing ? typing : null;
                    }
                    alice.send(new PresenceVisibilityRequest(true));
                    return notice;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            String script = String.join("\n", "presence alice ghost", "typingToGroup " + groupId,
                    "hidePresence", "showPresence", "sleep 1500", "") + "\n";

            assertThat(console(script, "bob")).isZero();

            assertThat(typed.get().groupId()).isEqualTo(groupId);
            List<String> lines = out.lines();
            assertThat(lines.get(0)).startsWith("[login] ok user=bob");
            assertThat(lines).contains("[presence] hidden", "[presence] shown");
            assertThat(out.starting("[presence] count=")).singleElement().asString()
                    .matches("\\[presence\\] count=2 users=alice\\(\\w+\\):online,ghost\\(-\\):offline");
            assertThat(out.starting("[presence] user=")).singleElement().asString()
                    .matches("\\[presence\\] user=alice\\(\\w+\\) offline at=\\d\\d:\\d\\d:\\d\\d");
            assertThat(lines).allMatch(line -> !line.contains("\n"));
            assertThat(alice.nextOrNull(200)).isInstanceOfAny(PresenceVisibilityResponse.class,
                    PresenceChanged.class);
        }
    }
}
