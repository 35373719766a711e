package dev.switchboard.im.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.client.fake.FakeServer;
import dev.switchboard.im.client.fake.FakeState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console client with several servers (cluster nodes): it uses the first that answers and fails over. */
class ChatClientFailoverTest {

    private final OutputLines out = new OutputLines();
    private final PipedOutputStream stdin = new PipedOutputStream();
    private FakeServer first;
    private FakeServer second;
    private CompletableFuture<Integer> exit;

    @AfterEach
    void stop() throws Exception {
        stdin.close();
        try {
            assertThat(exit.get(5, TimeUnit.SECONDS)).isZero();
        } finally {
            first.close(); // idempotent: the test closed it already unless it failed before
            second.close();
        }
    }

    private void run(ClientSettings settings) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(new PipedInputStream(stdin),
                StandardCharsets.UTF_8));
        ChatClient client = new ChatClient(settings.withTimings(Duration.ofMillis(20), Duration.ofSeconds(2),
                Duration.ofMillis(300)), new PlainConsole(reader, out.stream, null), new KnownNames());
        exit = CompletableFuture.supplyAsync(() -> {
            try {
                return client.run();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aServerThatDoesNotAnswerIsSkippedAndALostOneIsReplacedByTheNext() throws Exception {
        first = FakeServer.start();
        second = FakeServer.start();
        int nobody = freePort();
        run(ClientSettings.of("127.0.0.1", nobody, "alice", FakeState.PASSWORD, 2, 1)
                .withFailovers(List.of(InetSocketAddress.createUnresolved("127.0.0.1", first.port()),
                        InetSocketAddress.createUnresolved("127.0.0.1", second.port()))));
        out.awaitLine("[login] ok user=alice id=u-alice via=password");
        assertThat(first.state().logins).hasSize(1);

        first.close(); // the node is gone: the client goes on to the next one
        out.awaitLine("[connection] restored 127.0.0.1:" + second.port());
        out.await(() -> out.starting("[login] ok user=alice").size() == 2, "a login on the second server");
        assertThat(second.state().logins).isNotEmpty();
        assertThat(second.state().logins.get(0).token()).as("it first offers its resume token").isNotNull();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
