package dev.switchboard.im.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.framework.TestAccess;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.im.protocol.ErrorCode;
import dev.switchboard.im.protocol.ErrorResponse;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.server.ImServer.StopReason;
import dev.switchboard.im.store.sqlite.SqliteStorage;
import dev.switchboard.im.store.sqlite.StoreFaults;
import dev.switchboard.im.testing.ChatClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The storage failure policy as a client and a supervisor see it, on SQLite over real loopback sockets. */
class StorageFailureEndToEndTest {

    private static final int V2 = 2;

    @TempDir
    Path dataDir;

    private ImServer server;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void start() {
        logged.start();
        root.addAppender(logged);
        server = ImServer.start(ImServerSettings.forTests().withStore("sqlite").withDataDir(dataDir),
                Clock.systemUTC(), false);
    }

    @AfterEach
    void stop() {
        server.close();
        root.detachAppender(logged);
    }

    @Test
    void aTransientStoreErrorFailsThatSendWithInternalAndTheNextSendSucceeds() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            StoreFaults.failMessagesWithText(storage(), "boom");

            alice.send(new MessageRequest(bob.userId(), "boom", "c-1", null));
            ErrorResponse error = alice.next(ErrorResponse.class); // not a SendAck
            assertThat(error.code()).isEqualTo(ErrorCode.INTERNAL.name());
            assertThat(error.requestCommand()).isEqualTo(3);

            alice.send(new MessageRequest(bob.userId(), "fine", "c-2", null));
            assertThat(alice.next(SendAck.class).clientMsgId()).isEqualTo("c-2");
            MessageResponse delivered = bob.next(MessageResponse.class);
            assertThat(delivered.message()).isEqualTo("fine");
            assertThat(delivered.seq()).as("the failed message took no seq").isEqualTo(1L);
            alice.expectNothingButPresence(Duration.ofMillis(200)); // bob's coming online may reach alice late
            bob.expectNothingButPresence(Duration.ofMillis(200));
        }
        assertThat(server.stopped().toCompletableFuture()).isNotDone();
        assertThat(errorsLogged()).isEmpty();
    }

    @Test
    void aFatalStoreFailureStopsTheServerWithOneErrorLineAndExitCode74() throws Exception {
        int port = server.port();
        try (ChatClient alice = ChatClient.login(port, V2, "alice");
                ChatClient bob = ChatClient.login(port, V2, "bob")) {
            Runnable release = StoreFaults.failWhenReleased(storage(), new OutOfMemoryError("simulated"));
            alice.send(new MessageRequest(bob.userId(), "lost", "c-1", null));
            awaitQueued(1); // alice's message waits behind the failing operation

            release.run();
            StopReason reason = server.stopped().toCompletableFuture().get(30, TimeUnit.SECONDS);

            assertThat(reason).isEqualTo(StopReason.STORAGE_FAILED);
            assertThat(reason.exitCode()).isEqualTo(74);
            ErrorResponse error = alice.next(ErrorResponse.class);
            assertThat(error.code()).isEqualTo(ErrorCode.INTERNAL.name());
            assertThat(alice.nextOrNull(500)).as("no SendAck").isNull();
            awaitDisconnected(alice);
            awaitDisconnected(bob);
            assertThat(bob.nextOrNull(0)).as("nothing delivered").isNull();
        }
        assertThatThrownBy(() -> connect(port)).as("the port is closed").isInstanceOf(IOException.class);
        List<ILoggingEvent> errors = errorsLogged();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).getLoggerName()).isEqualTo(ImServer.class.getName());
        assertThat(errors.get(0).getFormattedMessage())
                .startsWith("Storage failed, stopping the server (exit code 74): sqlite-store-writer failed while ")
                .contains("OutOfMemoryError: simulated");
        server.close(); // harmless afterwards
        assertThat(server.awaitStop()).isEqualTo(StopReason.STORAGE_FAILED);
    }

    @Test
    void theServerCommandExitsWith74AfterAStorageFailureAnd0AfterClose() throws Exception {
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return ServerCommand.awaitExit(server);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(exit).isNotDone();
        StoreFaults.failWhenReleased(storage(), new OutOfMemoryError("simulated")).run();

        assertThat(exit.get(30, TimeUnit.SECONDS)).isEqualTo(ImServer.EXIT_STORAGE_FAILED).isEqualTo(74);

        try (ImServer other = ImServer.start(ImServerSettings.forTests(), Clock.systemUTC(), false)) {
            CompletableFuture<Integer> clean = CompletableFuture.supplyAsync(() -> {
                try {
                    return ServerCommand.awaitExit(other);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            other.close();
            assertThat(clean.get(30, TimeUnit.SECONDS)).isZero();
        }
    }

    private SqliteStorage storage() {
        return TestAccess.instance(server.server(), SqliteStorage.class);
    }

    private void awaitQueued(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (StoreFaults.queued(storage()) < count) {
            assertThat(System.nanoTime()).as("%d operations queued", count).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void awaitDisconnected(ChatClient client) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.isConnected()) {
            assertThat(System.nanoTime()).as("disconnected").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        }
    }

    private List<ILoggingEvent> errorsLogged() {
        return logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).toList();
    }
}
