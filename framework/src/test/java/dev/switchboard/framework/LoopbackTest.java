package dev.switchboard.framework;

import static dev.switchboard.framework.testing.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import dev.switchboard.framework.internal.dispatch.QueuedPackets;
import dev.switchboard.framework.fixtures.echo.Packets.Bye;
import dev.switchboard.framework.fixtures.echo.Packets.Echo;
import dev.switchboard.framework.fixtures.echo.Packets.Echoed;
import dev.switchboard.framework.fixtures.echo.Packets.Fail;
import dev.switchboard.framework.fixtures.echo.Packets.Flood;
import dev.switchboard.framework.fixtures.echo.Packets.Login;
import dev.switchboard.framework.fixtures.echo.Packets.LoginOk;
import dev.switchboard.framework.fixtures.echo.Packets.Ping;
import dev.switchboard.framework.fixtures.echo.Packets.Pong;
import dev.switchboard.framework.fixtures.echo.Packets.Slow;
import dev.switchboard.framework.fixtures.echo.Probe;
import dev.switchboard.framework.fixtures.echo.RecordingErrorHandler;
import dev.switchboard.framework.internal.transport.ChannelConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real server and client over loopback TCP. */
class LoopbackTest {

    private static final String ECHO = "dev.switchboard.framework.fixtures.echo";
    private static final String ECHO_CLIENT = "dev.switchboard.framework.fixtures.echoclient";

    private final Probe serverProbe = new Probe();
    private final Probe clientProbe = new Probe();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final AtomicInteger connects = new AtomicInteger();
    /** A permit per client connect. */
    private final Semaphore connected = new Semaphore(0);

    @AfterEach
    void closeAll() throws Exception {
        serverProbe.gate.release(100);
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Server server(Consumer<ServerConfig> more) {
        Server server = Switchboard.server(c -> {
            c.scan(ECHO).host("127.0.0.1").port(0).ioThreads(1).businessExecutor(2, 100).shutdownHook(false)
                    .modules(binder -> binder.bind(Probe.class).toInstance(serverProbe))
                    .errorHandler(RecordingErrorHandler.class).drainTimeout(Duration.ofSeconds(5));
            more.accept(c);
        });
        open.add(server);
        return server.start();
    }

    private Client client(int port, Consumer<ClientConfig> more) throws IOException {
        Client client = Switchboard.client(c -> {
            c.scan(ECHO, ECHO_CLIENT).port(port).ioThreads(1).businessExecutor(1, 10)
                    .modules(binder -> binder.bind(Probe.class).toInstance(clientProbe))
                    .reconnect(Duration.ofMillis(20), Duration.ofMillis(100))
                    .requestTimeout(Duration.ofSeconds(5))
                    .onConnect(connection -> {
                        connects.incrementAndGet();
                        connected.release();
                        connection.send(new Login("ann"));
                    });
            more.accept(c);
        });
        open.add(client);
        return client.connect();
    }

    private Client loggedIn(int port) throws Exception {
        Client client = client(port, c -> {});
        until("logged in", () -> serverProbe.calls.contains("login:ann"));
        // the LoginOk reply may still be in flight: a request for it would race; ping until authenticated
        assertThat(client.request(new Ping(0), Pong.class).get(5, TimeUnit.SECONDS)).isEqualTo(new Pong(0));
        return client;
    }

    @Test
    void requestAndReply() throws Exception {
        Server server = server(c -> {});
        Client client = loggedIn(server.port());

        assertThat(client.request(new Echo("hello"), Echoed.class).get(5, TimeUnit.SECONDS).text())
                .isEqualTo("hello");
        assertThat(client.isConnected()).isTrue();
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void manyPipelinedRequestsAreMatchedInOrder() throws Exception {
        Server server = server(c -> {});
        Client client = loggedIn(server.port());
        List<CompletableFuture<Echoed>> replies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            replies.add(client.request(i % 10 == 0 ? new Slow("s" + i) : new Echo("e" + i), Echoed.class));
        }
        for (int i = 0; i < 200; i++) {
            assertThat(replies.get(i).get(5, TimeUnit.SECONDS).text()).isEqualTo((i % 10 == 0 ? "s" : "e") + i);
        }
    }

    @Test
    void theServerPushesToTheClientsHandlers() throws Exception {
        Server server = server(c -> {});
        Client client = loggedIn(server.port());
        client.send(new Flood(3, 4));
        until("three pushes", () -> clientProbe.calls.size() >= 3);
        assertThat(clientProbe.calls).containsExactly("push:xxxx", "push:xxxx", "push:xxxx");
    }

    @Test
    void anErrorReplyFailsTheRequest() throws Exception {
        Server server = server(c -> {});
        Client client = loggedIn(server.port());

        CompletableFuture<Echoed> reply = client.request(new Fail("nope"), Echoed.class);
        assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RequestFailedException.class)
                .hasMessage("request 7 failed: HANDLER_FAILED: nope");
        assertThat(client.request(new Echo("next"), Echoed.class).get(5, TimeUnit.SECONDS).text())
                .isEqualTo("next");
    }

    @Test
    void aTimedOutRequestsLateReplyDoesNotAnswerTheNextRequest() throws Exception {
        Server server = server(c -> {});
        Client client = loggedIn(server.port());
        serverProbe.gated = true;

        CompletableFuture<Echoed> slow = client.request(new Slow("late"), Echoed.class, Duration.ofMillis(50));
        assertThatThrownBy(() -> slow.get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
        serverProbe.gate.release();
        // The Pong comes after the late Echoed on the same connection: once it is here, the late reply has arrived,
        // found no waiting request (the timed-out one left the queue) and gone to the client's handlers.
        assertThat(client.request(new Ping(1), Pong.class).get(5, TimeUnit.SECONDS)).isEqualTo(new Pong(1));
        assertThat(client.request(new Echo("after"), Echoed.class).get(5, TimeUnit.SECONDS).text())
                .isEqualTo("after");
    }

    @Test
    void theClientReconnectsWhenTheServerClosesAndLogsInAgain() throws Exception {
        Server server = server(c -> {});
        Client client = loggedIn(server.port());
        client.send(new Bye());
        until("second connect", () -> connects.get() == 2);
        until("second login", () -> serverProbe.calls.stream().filter("login:ann"::equals).count() == 2);
        assertThat(client.request(new Echo("again"), Echoed.class).get(5, TimeUnit.SECONDS).text())
                .isEqualTo("again");
    }

    @Test
    void theClientReconnectsToAServerRestartedOnTheSamePort() throws Exception {
        Server first = server(c -> {});
        int port = first.port();
        Client client = loggedIn(port);
        first.close();
        until("disconnected", () -> !client.isConnected());

        server(c -> c.port(port));
        until("reconnected", () -> connects.get() >= 2 && client.isConnected());
        until("logged in again", () -> serverProbe.calls.stream().filter("login:ann"::equals).count() == 2);
        assertThat(client.request(new Echo("back"), Echoed.class).get(5, TimeUnit.SECONDS).text())
                .isEqualTo("back");
    }

    @Test
    void theFirstConnectGoesDownTheListOfServersUntilOneAnswers() throws Exception {
        int nobody = freePort();
        Server server = server(c -> {});
        Client client = client(nobody, c -> c.failover("127.0.0.1", freePort()).failover("127.0.0.1", server.port()));
        until("logged in", () -> serverProbe.calls.contains("login:ann"));
        assertThat(client.server()).isEqualTo("127.0.0.1:" + server.port());
        assertThat(client.request(new Ping(1), Pong.class).get(5, TimeUnit.SECONDS)).isEqualTo(new Pong(1));
    }

    @Test
    void whenItsServerGoesTheClientFailsOverToTheNextAndBack() throws Exception {
        Server first = server(c -> {});
        Server second = server(c -> {});
        int firstPort = first.port();
        Client client = client(firstPort, c -> c.failover("127.0.0.1", second.port()));
        until("connected to the first", () -> first.connectionCount() == 1);

        first.close();
        until("failed over", () -> second.connectionCount() == 1 && client.isConnected()
                && client.server().equals("127.0.0.1:" + second.port()));
        until("answered on the second", () -> echoes(client, "on the second"));

        server(c -> c.port(firstPort)); // the first is back; the second goes: round the list to the first
        second.close();
        until("back on the first", () -> client.isConnected() && client.server().equals("127.0.0.1:" + firstPort));
        until("answered on the first again", () -> echoes(client, "round"));
    }

    /**
     * Whether an echo comes back: false while the connection's login (sent by onConnect) has not been handled yet
     * or the connection is changing.
     */
    private static boolean echoes(Client client, String text) {
        try {
            return client.request(new Echo(text), Echoed.class, Duration.ofSeconds(1)).get(2, TimeUnit.SECONDS)
                    .text().equals(text);
        } catch (Exception notYet) {
            return false;
        }
    }

    @Test
    void theFirstConnectFailsWithEveryServerNamedWhenNoneAnswers() {
        int a = freePort();
        int b = freePort();
        assertThatThrownBy(() -> client(a, c -> c.failover("127.0.0.1", b)))
                .isInstanceOf(IOException.class).hasMessageContaining("127.0.0.1:" + a)
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .satisfies(s -> assertThat(s).hasMessageContaining("127.0.0.1:" + b)));
    }

    /** A loopback port nothing listens on (free a moment ago). */
    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aClosedClientStopsReconnecting() throws Exception {
        Server server = server(c -> {});
        Client client = loggedIn(server.port());
        connected.drainPermits();
        client.close();
        assertThat(client.isConnected()).isFalse();
        // Waiting for something not to happen: several reconnect periods (20 to 100 ms), failing at once if it does.
        assertThat(connected.tryAcquire(150, TimeUnit.MILLISECONDS)).as("reconnected after close").isFalse();
        assertThat(connects.get()).isEqualTo(1);
        until("the server saw the close", () -> server.connectionCount() == 0);
        assertThatThrownBy(() -> client.send(new Ping(1)).toCompletableFuture().get())
                .cause().isInstanceOf(IOException.class);
    }

    @Test
    void aClientCanBeClosedFromItsOwnEventLoop() throws Exception {
        Server server = server(c -> {});
        CompletableFuture<Client> self = new CompletableFuture<>();
        CompletableFuture<Long> closedInCallback = new CompletableFuture<>();
        Client client = client(server.port(), c -> c.onDisconnect(connection -> {
            try {
                long start = System.nanoTime();
                self.join().close();
                closedInCallback.complete((System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException e) {
                closedInCallback.completeExceptionally(e);
            }
        }));
        self.complete(client);
        until("logged in", () -> serverProbe.calls.contains("login:ann"));
        client.send(new Bye());
        assertThat(closedInCallback.get(5, TimeUnit.SECONDS)).as("ms blocking the event loop").isLessThan(500);
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void theFirstConnectFailingIsAnIOException() {
        Client client = Switchboard.client(c -> c.scan(ECHO).port(1).ioThreads(1)
                .modules(binder -> binder.bind(Probe.class).toInstance(clientProbe)));
        open.add(client);
        assertThatThrownBy(client::connect).isInstanceOf(IOException.class).hasMessageContaining("127.0.0.1:1");
    }

    @Test
    void connectionsOverTheLimitAreClosed() throws Exception {
        Server server = server(c -> c.maxConnections(1));
        Client first = loggedIn(server.port());
        List<Connection> lost = new CopyOnWriteArrayList<>();
        client(server.port(), c -> c.noReconnect().onDisconnect(lost::add));
        until("the second connection is closed", () -> lost.size() == 1);
        assertThat(server.connectionCount()).isEqualTo(1);
        assertThat(first.request(new Echo("still"), Echoed.class).get(5, TimeUnit.SECONDS).text())
                .isEqualTo("still");
    }

    @Test
    void closeLetsAnInFlightBlockingHandlerFinishAndFlushesItsReply() throws Exception {
        Server server = server(c -> {});
        Client client = loggedIn(server.port());
        serverProbe.started.drainPermits(); // the blocking login's
        serverProbe.gated = true;
        CompletableFuture<Echoed> reply = client.request(new Slow("last words"), Echoed.class);
        assertThat(serverProbe.started.tryAcquire(5, TimeUnit.SECONDS)).isTrue();

        Thread closer = new Thread(server::close);
        closer.start();
        until("close() waits for the business executor", () -> waitsForTheBusinessExecutor(closer));
        assertThat(reply).isNotDone();
        serverProbe.gate.release();

        assertThat(reply.get(5, TimeUnit.SECONDS).text()).isEqualTo("last words");
        closer.join(10_000);
        until("disconnected", () -> !client.isConnected());
    }

    @Test
    void noHandlerRunsOnceCloseStoppedReadingEvenPacketsQueuedBehindTheLastBlockingOne() throws Exception {
        lifecycle.clear();
        List<Connection> serverSide = new CopyOnWriteArrayList<>();
        Server server = server(c -> c.modules(new AbstractModule() {
            @Override
            protected void configure() {
                Multibinder.newSetBinder(binder(), Service.class).addBinding().to(Store.class);
            }
        }).listener(new ConnectionListener() {
            @Override
            public void opened(Connection connection) {
                serverSide.add(connection);
            }
        }));
        Client client = loggedIn(server.port());
        serverProbe.started.drainPermits();
        serverProbe.gated = true;
        CompletableFuture<Echoed> last = client.request(new Slow("last"), Echoed.class);
        CompletableFuture<Echoed> behind = client.request(new Echo("behind"), Echoed.class);
        assertThat(serverProbe.started.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
        assertThat(serverSide).hasSize(1);
        until("\"behind\" waits behind \"last\" on the server",
                () -> QueuedPackets.on(((ChannelConnection) serverSide.get(0)).channel()) == 1);

        Thread closer = new Thread(server::close);
        closer.start();
        until("close() stopped reading and waits for the business executor",
                () -> waitsForTheBusinessExecutor(closer));
        serverProbe.gate.release();
        closer.join(10_000);

        assertThat(last.get(5, TimeUnit.SECONDS).text()).isEqualTo("last");
        assertThat(behind).failsWithin(5, TimeUnit.SECONDS);
        assertThat(serverProbe.calls).doesNotContain("echo:behind");
        assertThat(lifecycle).containsExactly("start Store", "stop Store");
    }

    /** Whether {@code closer} is in {@link Server#close()}'s wait for the requests in flight (reading stopped). */
    private static boolean waitsForTheBusinessExecutor(Thread closer) {
        for (StackTraceElement frame : closer.getStackTrace()) {
            if (frame.getClassName().equals(Server.class.getName())
                    && frame.getMethodName().equals("awaitInFlight")) {
                return true;
            }
        }
        return false;
    }

    private static final List<String> lifecycle = new CopyOnWriteArrayList<>();

    /** Records its life cycle in {@link #lifecycle}. */
    abstract static class RecordingService implements Service {
        @Override
        public void start() {
            lifecycle.add("start " + getClass().getSimpleName());
        }

        @Override
        public void stop() {
            lifecycle.add("stop " + getClass().getSimpleName());
        }
    }

    static final class Store extends RecordingService {}

    static final class Cache extends RecordingService {}

    static final class Broken extends RecordingService {
        @Override
        public void start() {
            throw new IllegalStateException("disk full");
        }
    }

    @Test
    void servicesStartInBindingOrderAndStopInReverseAfterHandlersBeforeConnectionsClose() throws Exception {
        lifecycle.clear();
        Server server = server(c -> c
                .modules(new AbstractModule() {
                    @Override
                    protected void configure() {
                        Multibinder<Service> services = Multibinder.newSetBinder(binder(), Service.class);
                        services.addBinding().to(Store.class);
                        services.addBinding().to(Cache.class);
                    }
                })
                .listener(new ConnectionListener() {
                    @Override
                    public void closed(Connection connection) {
                        lifecycle.add("connection closed");
                    }
                }));
        assertThat(lifecycle).containsExactly("start Store", "start Cache");
        loggedIn(server.port());

        server.close();
        until("connection closed", () -> lifecycle.contains("connection closed"));
        assertThat(lifecycle).containsExactly("start Store", "start Cache", "stop Cache", "stop Store",
                "connection closed");
        server.close(); // idempotent
        assertThat(lifecycle).hasSize(5);
    }

    @Test
    void aServiceFailingToStartAbortsStartAndStopsThoseStarted() {
        lifecycle.clear();
        assertThatThrownBy(() -> server(c -> c.modules(new AbstractModule() {
            @Override
            protected void configure() {
                Multibinder<Service> services = Multibinder.newSetBinder(binder(), Service.class);
                services.addBinding().to(Store.class);
                services.addBinding().to(Broken.class);
                services.addBinding().to(Cache.class);
            }
        }))).hasMessageContaining("disk full");
        assertThat(lifecycle).containsExactly("start Store", "stop Store");
    }

    @Test
    void aPortInUseFailsStartAndReleasesEverything() {
        lifecycle.clear();
        Server first = server(c -> {});
        Server second = Switchboard.server(c -> c.scan(ECHO).host("127.0.0.1").port(first.port()).ioThreads(1)
                .shutdownHook(false).modules(binder -> binder.bind(Probe.class).toInstance(serverProbe),
                        new AbstractModule() {
                            @Override
                            protected void configure() {
                                Multibinder.newSetBinder(binder(), Service.class).addBinding().to(Store.class);
                            }
                        }));
        open.add(second);
        assertThatThrownBy(second::start).isInstanceOf(StartFailedException.class)
                .hasMessageContaining("cannot bind 127.0.0.1:" + first.port());
        assertThat(lifecycle).as("services stopped again").containsExactly("start Store", "stop Store");
        assertThat(first.connectionCount()).isZero();
    }

    @Test
    void anInvalidProtocolFailsStartBeforeBinding() {
        Server server = Switchboard.server(c -> c.scan("dev.switchboard.framework.fixtures.broken.duplicatecode")
                .port(0).shutdownHook(false));
        open.add(server);
        assertThatThrownBy(server::start).isInstanceOf(InvalidProtocolException.class);
        assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void loginOkIsMatchedToItsRequest() throws Exception {
        Server server = server(c -> {});
        Client client = client(server.port(), c -> c.onConnect(connection -> connects.incrementAndGet()));
        assertThat(client.request(new Login("zed"), LoginOk.class).get(5, TimeUnit.SECONDS))
                .isEqualTo(new LoginOk("zed"));
    }
}
