package com.example.greeter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.greeter.Packets.Announcement;
import com.example.greeter.Packets.Greet;
import com.example.greeter.Packets.Greeting;
import com.example.greeter.Packets.Problem;
import com.example.greeter.Packets.SignIn;
import com.example.greeter.Packets.SignedIn;
import com.example.greeter.client.Inbox;
import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import dev.switchboard.framework.Client;
import dev.switchboard.framework.ClientTls;
import dev.switchboard.framework.Connection;
import dev.switchboard.framework.ConnectionListener;
import dev.switchboard.framework.ErrorHandler;
import dev.switchboard.framework.Failure;
import dev.switchboard.framework.RequestFailedException;
import dev.switchboard.framework.Server;
import dev.switchboard.framework.ServerTls;
import dev.switchboard.framework.Service;
import dev.switchboard.framework.Switchboard;
import dev.switchboard.framework.wire.Serializers;
import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.FieldInfo;
import io.github.classgraph.MethodInfo;
import io.github.classgraph.ScanResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Uses only {@code dev.switchboard.framework.*} (plus Guice), the way an application does. */
class PublicApiTest {

    /** The application's module: binds, nothing else. */
    /** Binds the application's own guestbook instance, so the test reads it without reaching into the injector. */
    static final class GreeterModule extends AbstractModule {
        private final Guestbook guestbook;

        GreeterModule(Guestbook guestbook) {
            this.guestbook = guestbook;
        }

        GreeterModule() {
            this(new Guestbook());
        }

        @Override
        protected void configure() {
            bind(Guestbook.class).toInstance(guestbook);
            Multibinder.newSetBinder(binder(), Service.class).addBinding().toInstance(guestbook);
        }
    }

    /** The application's one exception mapper. */
    static final class Problems implements ErrorHandler {
        @Override
        public Object toReply(Connection connection, Failure failure) {
            String reason = failure.kind() == Failure.Kind.HANDLER_FAILED && failure.cause() != null
                    ? failure.cause().getMessage() : failure.kind().name();
            return new Problem(failure.commandCode(), reason);
        }
    }

    @Test
    void aUserBuildsAServerAndAClientFromThePublicApi() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<String> connections = new CopyOnWriteArrayList<>();
        Inbox inbox = new Inbox();
        Guestbook guestbook = new Guestbook();
        CompletableFuture<Connection> serverSide = new CompletableFuture<>();

        Server server = Switchboard.server(c -> c
                .scan("com.example.greeter")
                .modules(new GreeterModule(guestbook))
                .errorHandler(Problems.class)
                .interceptor(invocation -> {
                    calls.incrementAndGet();
                    return invocation.proceed();
                })
                .listener(new ConnectionListener() {
                    @Override
                    public void opened(Connection connection) {
                        connections.add("opened");
                        serverSide.complete(connection);
                    }

                    @Override
                    public void closed(Connection connection) {
                        connections.add("closed");
                    }
                })
                .host("127.0.0.1").port(0).ioThreads(1).businessExecutor(2, 16)
                .authTimeout(Duration.ofSeconds(30)).readerIdleTimeout(Duration.ofSeconds(30))
                .maxConnections(10).shutdownHook(false))
                .start();
        int handlersBefore = GreeterHandlers.CREATED.get();

        try (server; Client client = Switchboard.client(c -> c
                .scan("com.example.greeter")
                .modules(binder -> binder.bind(Inbox.class).toInstance(inbox))
                .port(server.port())
                .serializer(Serializers.JSONB_ID)
                .ioThreads(1).businessExecutor(1, 4)
                .heartbeat(Duration.ofSeconds(30), () -> new SignIn("heartbeat"))
                .reconnect(Duration.ofMillis(50), Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(5)))
                .connect()) {
            assertThat(GreeterHandlers.CREATED.get())
                    .as("the client skips the @ServerSide handlers of the package it shares").isEqualTo(handlersBefore);

            Greet before = new Greet("world");
            assertThatThrownBy(() -> client.request(before, Greeting.class).get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOfSatisfying(RequestFailedException.class, e ->
                            assertThat(e.reply()).isEqualTo(new Problem(3, "NOT_AUTHENTICATED")));

            assertThat(client.request(new SignIn("ann"), SignedIn.class).get(5, TimeUnit.SECONDS))
                    .isEqualTo(new SignedIn("ann"));
            assertThat(client.request(new Greet("world"), Greeting.class).get(5, TimeUnit.SECONDS))
                    .isEqualTo(new Greeting("hello world from ann"));
            assertThatThrownBy(() -> client.request(new Greet(" "), Greeting.class).get(5, TimeUnit.SECONDS))
                    .cause().isInstanceOf(RequestFailedException.class).hasMessage("request 3 failed: greet whom?");

            Connection connection = serverSide.get(5, TimeUnit.SECONDS);
            assertThat(connection.isAuthenticated()).isTrue();
            assertThat(connection.serializerId()).isEqualTo(Serializers.JSONB_ID);
            connection.send(new Announcement("doors close at 10")).toCompletableFuture().get(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (inbox.received.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(inbox.received).containsExactly(new Announcement("doors close at 10"));
            assertThat(client.connection()).isPresent();
            assertThat(server.connectionCount()).isEqualTo(1);
            assertThat(calls.get()).isEqualTo(3); // SignIn and two Greets; the refused Greet never reached it
        }
        assertThat(guestbook.events).containsExactly("open", "signed ann", "closed");
        assertThat(connections).startsWith("opened");
    }

    @Test
    void tlsIsTwoSettingsAndNoNettyTypes() throws Exception {
        try (Server server = Switchboard.server(c -> c.scan("com.example.greeter").modules(new GreeterModule())
                        .host("127.0.0.1").port(0).ioThreads(1).shutdownHook(false)
                        .tls(ServerTls.selfSigned()))
                        .start();
                Client client = Switchboard.client(c -> c.scan("com.example.greeter")
                        .modules(binder -> binder.bind(Inbox.class).toInstance(new Inbox()))
                        .port(server.port()).ioThreads(1).noReconnect()
                        .tls(ClientTls.insecure()))
                        .connect()) {
            assertThat(client.request(new SignIn("ann"), SignedIn.class).get(5, TimeUnit.SECONDS))
                    .isEqualTo(new SignedIn("ann"));
            assertThat(client.request(new Greet("tls"), Greeting.class).get(5, TimeUnit.SECONDS))
                    .isEqualTo(new Greeting("hello tls from ann"));
        }
    }

    /**
     * The user API speaks its own types: no public signature in the root package names a Netty type. (The wire-format
     * SPI, which works on bytes by nature, is the package {@code dev.switchboard.framework.wire}.)
     */
    @Test
    void theUserApiNamesNoNettyType() {
        List<String> leaks = new ArrayList<>();
        try (ScanResult scan = new ClassGraph().enableClassInfo().enableMethodInfo().enableFieldInfo()
                .acceptPackagesNonRecursive("dev.switchboard.framework").scan()) {
            for (ClassInfo type : scan.getAllClasses()) {
                boolean testCode = type.getClasspathElementFile().getPath().contains("test-classes");
                if (!type.isPublic() || testCode) {
                    continue;
                }
                if (type.getSuperclass() != null && type.getSuperclass().getName().startsWith("io.netty")) {
                    leaks.add(type.getName() + " extends " + type.getSuperclass().getName());
                }
                for (MethodInfo method : type.getDeclaredMethodAndConstructorInfo()) {
                    if ((method.isPublic() || method.isProtected())
                            && method.getTypeSignatureOrTypeDescriptorStr().contains("io/netty")) {
                        leaks.add(type.getName() + "." + method.getName()
                                + method.getTypeSignatureOrTypeDescriptorStr());
                    }
                }
                for (FieldInfo field : type.getDeclaredFieldInfo()) {
                    if (field.isPublic() && field.getTypeSignatureOrTypeDescriptorStr().contains("io/netty")) {
                        leaks.add(type.getName() + "." + field.getName());
                    }
                }
            }
        }
        assertThat(leaks).isEmpty();
    }
}
