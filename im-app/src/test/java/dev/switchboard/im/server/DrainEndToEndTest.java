package dev.switchboard.im.server;

import static dev.switchboard.framework.testing.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.framework.TestAccess;
import dev.switchboard.framework.testing.Loopback;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.server.ImServer.StopReason;
import dev.switchboard.im.store.sqlite.SqliteStorage;
import dev.switchboard.im.store.sqlite.StoreFaults;
import dev.switchboard.im.testing.AdminStats;
import dev.switchboard.im.testing.ChatClient;
import dev.switchboard.im.testing.ProductionClassPath;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Health and drain as a load balancer, a client and a supervisor see them: the IM server on SQLite over real
 * loopback sockets, its writer held by the test so that a send is in flight when the drain begins.
 */
class DrainEndToEndTest {

    private static final int V2 = 2;

    @TempDir
    Path dataDir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private Runnable releaseWriter = () -> { };

    @BeforeEach
    void capture() {
        logged.start();
        root.addAppender(logged);
    }

    @AfterEach
    void stop() throws Exception {
        releaseWriter.run();
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        root.detachAppender(logged);
    }

    private ImServer start(String store, Duration drainTimeout) {
        ImServer server = ImServer.start(ImServerSettings.forTests().withStore(store).withDataDir(dataDir)
                .withAdmin(AdminSettings.loopback(0)).withDrainTimeout(drainTimeout), Clock.systemUTC(), false);
        open.add(server);
        return server;
    }

    private ChatClient login(ImServer server, String name) throws Exception {
        ChatClient client = ChatClient.login(server.port(), V2, name);
        open.add(client);
        return client;
    }

    private static HttpResponse<String> admin(ImServer server, String method, String path) throws Exception {
        return AdminStats.request(server.adminPort().getAsInt(), method, path, null);
    }

    private static void assertAnswer(HttpResponse<String> response, int status, String body) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(body);
    }

    private static SqliteStorage storage(ImServer server) {
        return TestAccess.instance(server.server(), SqliteStorage.class);
    }

    /**
     * Sends a message whose write the writer is held inside, so that its SendAck waits: a request in flight. The
     * writer is held in that message's INSERT rather than by an operation ahead of it, so what else is queued (a
     * login's presence reads and writes, which chain back and forth between the writer and the readers) does not
     * matter: counting queued operations raced with those chains on loaded machines.
     */
    private void sendWhileTheWriterIsHeld(ImServer server, ChatClient from, ChatClient to, String text)
            throws Exception {
        // The logins' presence work finished first, so that none of it is cut off by the drain (a warning of its own).
        StoreFaults.settle(storage(server));
        StoreFaults.HeldWrite held = StoreFaults.holdMessagesWithText(storage(server), text);
        releaseWriter = held::release;
        from.send(new MessageRequest(to.userId(), text, "c-" + text, null));
        held.awaitHeld();
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aDrainTurnsReadyOffRefusesNewConnectionsAndLetsTheSendInFlightBeAckedBeforeItStops() throws Exception {
        ImServer server = start("sqlite", Duration.ofSeconds(10));
        int port = server.port();
        ChatClient alice = login(server, "alice");
        ChatClient bob = login(server, "bob");
        assertAnswer(admin(server, "GET", "/health/ready"), 200, "ready\n");
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return ServerCommand.awaitExit(server);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        sendWhileTheWriterIsHeld(server, alice, bob, "last");

        long began = System.nanoTime();
        assertAnswer(admin(server, "POST", "/drain"), 202, "draining\n");
        assertAnswer(admin(server, "GET", "/health/ready"), 503, "not ready: server is draining\n");
        assertAnswer(admin(server, "GET", "/health/live"), 200, "live\n");
        until("new connections are refused", () -> Loopback.refusesConnections(port));
        assertThat(alice.nextOrNull(0)).as("no SendAck while the write is not committed").isNull();
        assertThat(server.stopped().toCompletableFuture()).isNotDone();

        releaseWriter.run();
        assertThat(alice.next(SendAck.class).clientMsgId()).isEqualTo("c-last");
        assertThat(server.stopped().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(StopReason.CLOSED);
        assertThat(System.nanoTime() - began).as("stopped within the drain timeout")
                .isLessThan(TimeUnit.SECONDS.toNanos(10));
        assertThat(exit.get(10, TimeUnit.SECONDS)).as("the server command's exit status").isZero();
        until("alice's connection is closed", () -> !alice.isConnected());
        assertThat(Loopback.refusesConnections(server.adminPort().getAsInt())).as("the admin listener closed last")
                .isTrue();
        assertThat(warnings()).isEmpty();
    }

    @Test
    void aDrainWhoseWorkOutlivesTheDeadlineClosesTheConnectionsAtTheDeadlineAndAResendAfterwardsCountsOnce() throws Exception {
        Duration deadline = Duration.ofMillis(300);
        ImServer server = start("sqlite", deadline);
        ChatClient alice = login(server, "alice");
        ChatClient bob = login(server, "bob");
        sendWhileTheWriterIsHeld(server, alice, bob, "late");

        long began = System.nanoTime();
        assertAnswer(admin(server, "POST", "/drain"), 202, "draining\n");
        until("alice's connection is closed", () -> !alice.isConnected());
        long closedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

        assertThat(closedAfterMs).as("ms until the connections closed")
                .isGreaterThanOrEqualTo(deadline.toMillis()).isLessThan(3_000);
        assertThat(alice.nextOrNull(0)).as("no SendAck: the write had not committed").isNull();
        assertThat(warnings()).containsExactly("drain deadline (300 ms) passed with requests still in flight (1); "
                + "interrupting them and closing 2 connections anyway");
        releaseWriter.run(); // the store commits what was queued, then closes
        assertThat(server.stopped().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(StopReason.CLOSED);

        // The client's side of a rolling restart: reconnect, resend what got no SendAck (same clientMsgId).
        ImServer again = start("sqlite", deadline);
        ChatClient aliceAgain = login(again, "alice");
        ChatClient bobAgain = login(again, "bob");
        aliceAgain.send(new MessageRequest(bobAgain.userId(), "late", "c-late", null));
        assertThat(aliceAgain.next(SendAck.class).clientMsgId()).isEqualTo("c-late");
        assertThat(bobAgain.next(MessageResponse.class).message()).isEqualTo("late");
        bobAgain.expectNothing(Duration.ofMillis(200)); // once, whether or not the first send had been stored
    }

    @Test
    void readyNamesTheStoreWhileItDoesNotAnswerAndQueuesOnePingForManyProbes() throws Exception {
        ImServer server = start("sqlite", Duration.ofSeconds(10));
        releaseWriter = StoreFaults.holdWriter(storage(server));

        assertAnswer(admin(server, "GET", "/health/ready"), 503, "not ready: check failed: store\n");
        assertAnswer(admin(server, "GET", "/health/ready"), 503, "not ready: check failed: store\n");
        assertThat(StoreFaults.queued(storage(server))).as("pings waiting for the writer").isOne();
        assertAnswer(admin(server, "GET", "/health/live"), 200, "live\n");
        assertThat(warnings()).containsExactly(
                "readiness check store fails: java.util.concurrent.TimeoutException: the store did not answer within "
                        + "1000 ms");

        releaseWriter.run();
        assertAnswer(admin(server, "GET", "/health/ready"), 200, "ready\n");
    }

    @Test
    void sigtermDrainsAChildServerWhichExitsAsTheJvmDoesOnTheSignal() throws Exception {
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaCommand, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                // the production logging (INFO on standard error), not the tests'
                "-cp", ProductionClassPath.get(), "dev.switchboard.im.Main", "server",
                "--host", "127.0.0.1", "--port", "0", "--store", "memory", "--admin-port", "0",
                "--drain-timeout", "PT5S")
                .redirectErrorStream(true).start();
        open.add(child::destroyForcibly);
        List<String> output = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> adminPort = new CompletableFuture<>();
        Pattern ready = Pattern.compile("ready on .* admin on [^:]+:(\\d+)");
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(
                child.getInputStream(), StandardCharsets.UTF_8)).lines().forEach(line -> {
                    output.add(line);
                    Matcher matcher = ready.matcher(line);
                    if (matcher.find()) {
                        adminPort.complete(Integer.parseInt(matcher.group(1)));
                    }
                }), "child-output");
        reader.setDaemon(true);
        reader.start();
        int admin = adminPort.get(60, TimeUnit.SECONDS);
        assertThat(AdminStats.request(admin, "GET", "/health/ready", null).statusCode()).isEqualTo(200);

        long signalled = System.nanoTime();
        // SIGTERM, through the handle: Process.destroy() would also close our end of the child's output, and its
        // drain would log into a closed pipe.
        assertThat(child.toHandle().destroy()).isTrue();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(System.nanoTime() - signalled).as("well within the 5 s drain timeout: nothing was in flight")
                .isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(child.exitValue()).as("128 + SIGTERM, as the JVM reports a signal").isEqualTo(143);
        reader.join(5_000);
        assertThat(output).anySatisfy(line -> assertThat(line).contains("draining: not ready, refusing new "
                + "connections; 0 open, waiting up to 5000 ms"));
        assertThat(output).anySatisfy(line -> assertThat(line).contains("server stopped"));
        assertThat(output).noneSatisfy(line -> assertThat(line).contains("drain deadline"));
    }

    @Test
    void theMemoryStoreIsAlwaysReady() throws Exception {
        ImServer server = start("memory", Duration.ofSeconds(10));
        assertAnswer(admin(server, "GET", "/health/ready"), 200, "ready\n");
    }
}
