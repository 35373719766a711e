package dev.switchboard.framework;

import static dev.switchboard.framework.testing.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import dev.switchboard.framework.fixtures.echo.Packets.Echoed;
import dev.switchboard.framework.fixtures.echo.Packets.Later;
import dev.switchboard.framework.fixtures.echo.Packets.Login;
import dev.switchboard.framework.fixtures.echo.Packets.Ping;
import dev.switchboard.framework.fixtures.echo.Packets.Pong;
import dev.switchboard.framework.fixtures.echo.Packets.Slow;
import dev.switchboard.framework.fixtures.echo.Probe;
import dev.switchboard.framework.testing.Loopback;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A server's life cycle over real loopback sockets: its states, {@code /health/live} and {@code /health/ready} on the
 * admin listener, readiness checks, and the drain ({@code POST /drain}, {@link Server#close()}) with and without
 * requests in flight and past its deadline.
 */
class ServerLifecycleTest {

    private static final String ECHO = "dev.switchboard.framework.fixtures.echo";
    private static final String TOKEN = "0123456789abcdef-token";

    private final Probe probe = new Probe();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void capture() {
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void closeAll() throws Exception {
        probe.gate.release(100);
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        root.detachAppender(log);
    }

    private Server configured(Consumer<ServerConfig> more) {
        Server server = Switchboard.server(c -> {
            c.scan(ECHO).host("127.0.0.1").port(0).ioThreads(1).businessExecutor(2, 100).shutdownHook(false)
                    .modules(binder -> binder.bind(Probe.class).toInstance(probe))
                    .admin(a -> a.get("/stats", request -> AdminResponse.text("stats")));
            more.accept(c);
        });
        open.add(server);
        return server;
    }

    private Server started(Consumer<ServerConfig> more) {
        return configured(more).start();
    }

    private Client loggedIn(Server server) throws Exception {
        Client client = Switchboard.client(c -> c.scan(ECHO).port(server.port()).ioThreads(1).noReconnect()
                .modules(binder -> binder.bind(Probe.class).toInstance(new Probe()))
                .requestTimeout(Duration.ofSeconds(10)));
        open.add(client);
        client.connect();
        client.send(new Login("ann"));
        until("logged in", () -> probe.calls.contains("login:ann"));
        assertThat(client.request(new Ping(0), Pong.class).get(5, TimeUnit.SECONDS)).isEqualTo(new Pong(0));
        return client;
    }

    private HttpResponse<String> admin(Server server, String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.adminPort().getAsInt() + path))
                .timeout(Duration.ofSeconds(5)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertAnswer(HttpResponse<String> response, int status, String body) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(body);
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aServerGoesFromNewThroughServingAndDrainingToStopped() throws Exception {
        Server server = configured(c -> {});
        assertThat(server.state()).isEqualTo(Server.State.NEW);
        server.start();
        assertThat(server.state()).isEqualTo(Server.State.SERVING);
        assertAnswer(admin(server, "GET", "/health/live", null), 200, "live\n");
        assertAnswer(admin(server, "GET", "/health/ready", null), 200, "ready\n");
        assertThat(admin(server, "HEAD", "/health/ready", null).statusCode()).isEqualTo(200);
        assertThat(server.stopped().toCompletableFuture()).isNotDone();

        server.close();
        assertThat(server.state()).isEqualTo(Server.State.STOPPED);
        assertThat(server.stopped().toCompletableFuture()).isCompleted();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("STOPPED");
        server.close(); // idempotent
        assertThat(server.drain().toCompletableFuture()).isCompleted();
    }

    @Test
    void closedBeforeStartIsStoppedAtOnce() {
        Server server = configured(c -> {});
        server.close();
        assertThat(server.state()).isEqualTo(Server.State.STOPPED);
        assertThat(server.stopped().toCompletableFuture()).isCompleted();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    /** A service whose start waits for the test, so that the server stays STARTING. */
    static final class SlowStart implements Service {
        static final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void start() throws InterruptedException {
            release.await(10, TimeUnit.SECONDS);
        }

        @Override
        public void stop() {}
    }

    @Test
    void whileStartingOnlyTheHealthEndpointsAnswerAndReadyIsNot() throws Exception {
        Server server = configured(c -> c.modules(new AbstractModule() {
            @Override
            protected void configure() {
                Multibinder.newSetBinder(binder(), Service.class).addBinding().to(SlowStart.class);
            }
        }));
        CompletableFuture<Server> starting = CompletableFuture.supplyAsync(server::start);
        until("the admin listener is bound", () -> server.state() == Server.State.STARTING
                && server.adminPort().isPresent());

        assertAnswer(admin(server, "GET", "/health/live", null), 200, "live\n");
        assertAnswer(admin(server, "GET", "/health/ready", null), 503, "not ready: server is starting\n");
        assertAnswer(admin(server, "GET", "/stats", null), 503, "server is starting\n");
        assertAnswer(admin(server, "POST", "/drain", null), 503, "server is starting\n");

        SlowStart.release.countDown();
        starting.get(10, TimeUnit.SECONDS);
        assertAnswer(admin(server, "GET", "/health/ready", null), 200, "ready\n");
        assertAnswer(admin(server, "GET", "/stats", null), 200, "stats");
    }

    /** A service that closes its server while stopping, as a store reacting to its own failure might. */
    static final class ClosesOnStop implements Service {
        static final AtomicReference<Server> server = new AtomicReference<>();

        @Override
        public void start() {}

        @Override
        public void stop() {
            server.get().close();
        }
    }

    @Test
    void closeCalledFromWithinTheDrainDoesNotWaitForItself() throws Exception {
        Server server = started(c -> c.modules(new AbstractModule() {
            @Override
            protected void configure() {
                Multibinder.newSetBinder(binder(), Service.class).addBinding().to(ClosesOnStop.class);
            }
        }));
        ClosesOnStop.server.set(server);
        CompletableFuture.runAsync(server::close).get(10, TimeUnit.SECONDS);
        assertThat(server.state()).isEqualTo(Server.State.STOPPED);
    }

    @Test
    void readinessChecksDecideReadyAndTheAnswerNamesOnlyTheFailingCheck() throws Exception {
        AtomicBoolean storeUp = new AtomicBoolean(true);
        Server server = started(c -> c
                .readinessCheck("store", () -> {
                    if (!storeUp.get()) {
                        throw new IOException("database at /srv/secret.db unreachable");
                    }
                })
                .readinessCheck("warm", () -> { }));
        assertAnswer(admin(server, "GET", "/health/ready", null), 200, "ready\n");

        storeUp.set(false);
        assertAnswer(admin(server, "GET", "/health/ready", null), 503, "not ready: check failed: store\n");
        assertAnswer(admin(server, "GET", "/health/ready", null), 503, "not ready: check failed: store\n");
        assertAnswer(admin(server, "GET", "/health/live", null), 200, "live\n");
        assertThat(warnings()).containsExactly(
                "readiness check store fails: java.io.IOException: database at /srv/secret.db unreachable");

        storeUp.set(true);
        assertAnswer(admin(server, "GET", "/health/ready", null), 200, "ready\n");
    }

    /** A readiness check the injector creates. */
    static final class NeverReady implements ReadinessCheck {
        @Override
        public void check() {
            throw new IllegalStateException("not yet");
        }
    }

    @Test
    void aReadinessCheckMayComeFromTheInjector() throws Exception {
        Server server = started(c -> c.readinessCheck("never", NeverReady.class));
        assertAnswer(admin(server, "GET", "/health/ready", null), 503, "not ready: check failed: never\n");
    }

    @Test
    void readinessCheckNamesAndBuiltInPathsAreChecked() {
        assertThatThrownBy(() -> Switchboard.server(c -> c.readinessCheck("Store!", () -> { })))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Store!");
        assertThatThrownBy(() -> Switchboard.server(c -> c.readinessCheck("a", () -> { })
                .readinessCheck("a", () -> { })))
                .hasMessage("readiness check a added twice");
        assertThatThrownBy(() -> Switchboard.server(c -> c.admin(a -> a.get("/health/ready",
                request -> AdminResponse.text("mine")))))
                .hasMessage("admin path /health/ready is built in");
        assertThatThrownBy(() -> Switchboard.server(c -> c.drainTimeout(Duration.ofSeconds(-1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void healthNeedsNoTokenButDrainDoes() throws Exception {
        Server server = started(c -> c.admin(a -> a.token(TOKEN)));
        assertAnswer(admin(server, "GET", "/health/live", null), 200, "live\n");
        assertAnswer(admin(server, "GET", "/health/ready", null), 200, "ready\n");
        assertThat(admin(server, "GET", "/stats", null).statusCode()).isEqualTo(401);
        assertThat(admin(server, "POST", "/health/ready", null).statusCode())
                .as("a wrong method on an open path reveals nothing either").isEqualTo(401);
        assertThat(admin(server, "POST", "/drain", null).statusCode()).isEqualTo(401);
        assertThat(server.state()).isEqualTo(Server.State.SERVING);

        assertAnswer(admin(server, "POST", "/drain", TOKEN), 202, "draining\n");
        server.stopped().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(server.state()).isEqualTo(Server.State.STOPPED);
    }

    @Test
    void aDrainRefusesNewConnectionsAndLetsTheBlockingRequestInFlightReply() throws Exception {
        Server server = started(c -> c.drainTimeout(Duration.ofSeconds(30)));
        int port = server.port();
        Client client = loggedIn(server);
        probe.started.drainPermits();
        probe.gated = true;
        CompletableFuture<Echoed> reply = client.request(new Slow("last words"), Echoed.class);
        assertThat(probe.started.tryAcquire(5, TimeUnit.SECONDS)).as("the slow handler runs").isTrue();

        assertAnswer(admin(server, "POST", "/drain", null), 202, "draining\n");
        assertThat(server.state()).isEqualTo(Server.State.DRAINING);
        assertAnswer(admin(server, "GET", "/health/ready", null), 503, "not ready: server is draining\n");
        assertAnswer(admin(server, "GET", "/health/live", null), 200, "live\n");
        assertAnswer(admin(server, "POST", "/drain", null), 202, "draining\n"); // again: nothing new
        until("the listening socket is closed", () -> Loopback.refusesConnections(port));
        CompletableFuture<Void> closed = CompletableFuture.runAsync(server::close);
        assertThat(reply).isNotDone();
        assertThat(closed).as("close() waits for the drain").isNotDone();
        assertThat(server.stopped().toCompletableFuture()).isNotDone();

        probe.gate.release();
        assertThat(reply.get(5, TimeUnit.SECONDS).text()).isEqualTo("last words");
        server.stopped().toCompletableFuture().get(10, TimeUnit.SECONDS);
        closed.get(10, TimeUnit.SECONDS);
        assertThat(server.state()).isEqualTo(Server.State.STOPPED);
        until("the client saw the close", () -> !client.isConnected());
        assertThat(Loopback.refusesConnections(server.adminPort().getAsInt())).as("the admin listener closed last")
                .isTrue();
        assertThat(warnings()).isEmpty();
    }

    @Test
    void aDrainWaitsForAReplyWhoseStageIsNotCompleteYet() throws Exception {
        Server server = started(c -> c.drainTimeout(Duration.ofSeconds(30)));
        Client client = loggedIn(server);
        CompletableFuture<Echoed> reply = client.request(new Later("async"), Echoed.class);
        CompletableFuture<Echoed> stage = probe.later.poll(5, TimeUnit.SECONDS);
        assertThat(stage).as("the handler returned its stage").isNotNull();

        server.drain();
        until("the listening socket is closed", () -> Loopback.refusesConnections(server.port()));
        assertAnswer(admin(server, "GET", "/health/ready", null), 503, "not ready: server is draining\n");
        assertThat(server.stopped().toCompletableFuture()).isNotDone();

        stage.complete(new Echoed("async"));
        assertThat(reply.get(5, TimeUnit.SECONDS).text()).isEqualTo("async");
        server.stopped().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(warnings()).isEmpty();
    }

    @Test
    void aDrainPastItsDeadlineClosesAnywayAndSaysSoInOneLine() throws Exception {
        Duration deadline = Duration.ofMillis(300);
        Server server = started(c -> c.drainTimeout(deadline));
        Client client = loggedIn(server);
        probe.started.drainPermits();
        probe.gated = true; // and never opened: the request outlives the deadline
        CompletableFuture<Echoed> reply = client.request(new Slow("too slow"), Echoed.class);
        assertThat(probe.started.tryAcquire(5, TimeUnit.SECONDS)).isTrue();

        long begin = System.nanoTime();
        server.close();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);

        assertThat(tookMs).as("ms to stop").isGreaterThanOrEqualTo(deadline.toMillis()).isLessThan(3_000);
        assertThat(server.state()).isEqualTo(Server.State.STOPPED);
        assertThat(warnings()).containsExactly("drain deadline (300 ms) passed with requests still in flight (1); "
                + "interrupting them and closing 1 connections anyway");
        assertThat(reply).failsWithin(5, TimeUnit.SECONDS);
        until("the client saw the close", () -> !client.isConnected());
    }
}
