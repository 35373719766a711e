package dev.switchboard.im.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.store.sqlite.SqliteSettings;
import dev.switchboard.im.store.sqlite.SqliteStorage;
import dev.switchboard.im.testing.ChatClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing acknowledged is lost: across a clean restart, and across SIGKILL of a server in another JVM. */
class DurabilityTest {

    private static final Pattern READY = Pattern.compile("ready on [^:]+:(\\d+)");

    @TempDir
    Path dataDir;

    private ImServerSettings sqlite() {
        return ImServerSettings.forTests().withStore("sqlite").withDataDir(dataDir);
    }

    @Test
    void aWeakerStoredHashIsUpgradedAtTheNextSuccessfulLogin() throws Exception {
        try (ImServer server = ImServer.start(sqlite(), Clock.systemUTC(), false);
                ChatClient alice = ChatClient.login(server.port(), 2, "alice")) {
            assertThat(alice.userId()).isNotNull();
        }
        ImServerSettings stronger = sqlite().withPasswordIterations(2_000);
        try (ImServer server = ImServer.start(stronger, Clock.systemUTC(), false);
                ChatClient alice = ChatClient.login(server.port(), 2, "alice")) {
            assertThat(alice.userId()).isNotNull();
        }
        SqliteStorage storage = new SqliteStorage(SqliteSettings.defaults().withDataDir(dataDir));
        storage.start();
        try {
            assertThat(storage.users().findByName("alice").toCompletableFuture().get().orElseThrow()
                    .password().iterations()).isEqualTo(2_000);
        } finally {
            storage.stop();
        }
        try (ImServer server = ImServer.start(stronger, Clock.systemUTC(), false);
                ChatClient alice = ChatClient.login(server.port(), 2, "alice")) {
            assertThat(alice.userId()).as("the upgraded hash checks the same password").isNotNull();
        }
    }

    @Test
    void restartOnTheSameDataDirectoryKeepsUsersGroupsAndMessages() throws Exception {
        String aliceId;
        String bobId;
        try (ImServer server = ImServer.start(sqlite(), Clock.systemUTC(), false);
                ChatClient alice = ChatClient.login(server.port(), 2, "alice");
                ChatClient bob = ChatClient.login(server.port(), 2, "bob")) {
            aliceId = alice.userId();
            bobId = bob.userId();
            bob.close();
            for (int i = 1; i <= 10; i++) {
                alice.send(new MessageRequest(bobId, "kept " + i, "k" + i, null));
            }
            alice.next(SendAck.class, 10);
        }
        try (ImServer server = ImServer.start(sqlite(), Clock.systemUTC(), false);
                ChatClient bob = ChatClient.connect(server.port(), 2)) {
            assertThat(bob.loginWith(LoginRequest.withPassword("bob", "pw-bob")).userId()).isEqualTo(bobId);
            List<MessageResponse> kept = bob.next(MessageResponse.class, 10);
            assertThat(kept).extracting(MessageResponse::fromUserId).containsOnly(aliceId);
            assertThat(kept).extracting(MessageResponse::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L,
                    10L);
        }
    }

    @Test
    void everySendAckedMessageSurvivesSigkill() throws Exception {
        Process child = startChild();
        int port = awaitReady(child);
        Set<String> acked = new HashSet<>();
        String bobId;
        try (ChatClient bob = ChatClient.login(port, 2, "bob")) {
            bobId = bob.userId();
        }
        ChatClient alice = ChatClient.login(port, 2, "alice");
        try {
            for (int i = 0; i < 200; i++) {
                alice.send(new MessageRequest(bobId, "msg " + i, "c" + i, null));
            }
            // Take what is acknowledged so far, then kill the server without warning mid-stream.
            for (int i = 0; i < 100; i++) {
                acked.add(alice.next(SendAck.class).clientMsgId());
            }
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } finally {
            alice.close();
        }
        Process again = startChild();
        try {
            int newPort = awaitReady(again);
            try (ChatClient bob = ChatClient.connect(newPort, 2)) {
                bob.loginWith(LoginRequest.withPassword("bob", "pw-bob"));
                Set<String> texts = new HashSet<>();
                List<Long> seqs = new ArrayList<>();
                while (texts.size() < 200) {
                    Object packet = bob.nextOrNull(2_000);
                    if (packet == null) {
                        break;
                    }
                    MessageResponse message = (MessageResponse) packet;
                    texts.add(message.message());
                    seqs.add(message.seq());
                }
                for (String clientMsgId : acked) {
                    assertThat(texts).contains("msg " + clientMsgId.substring(1));
                }
                for (int i = 0; i < seqs.size(); i++) {
                    assertThat(seqs.get(i)).as("seq without gaps").isEqualTo(i + 1L);
                }
            }
        } finally {
            again.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process startChild() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.switchboard.im.Main", "server", "--host", "127.0.0.1", "--port", "0", "--store", "sqlite",
                "--data-dir", dataDir.toString(), "--password-iterations", "1000", "--rate-limit", "0");
        builder.redirectErrorStream(true);
        return builder.start();
    }

    private static int awaitReady(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            Matcher ready = READY.matcher(line);
            if (ready.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(ignored -> { }), "child-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(ready.group(1));
            }
        }
        process.destroyForcibly();
        throw new AssertionError("child server did not get ready");
    }
}
