package dev.switchboard.framework;

import dev.switchboard.framework.wire.DefaultWireFormat;
import static dev.switchboard.framework.testing.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.switchboard.framework.fixtures.echo.Packets.Bye;
import dev.switchboard.framework.fixtures.echo.Packets.Echo;
import dev.switchboard.framework.fixtures.echo.Packets.Echoed;
import dev.switchboard.framework.fixtures.echo.Packets.Login;
import dev.switchboard.framework.fixtures.echo.Probe;
import dev.switchboard.framework.testing.TestCertificates;
import dev.switchboard.framework.testing.TestCertificates.Issued;
import dev.switchboard.framework.testing.TestCertificates.KeyType;
import dev.switchboard.framework.internal.transport.ErrorLogger;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** TLS servers and clients over loopback: real handshakes, the failures a client can meet, and hostile peers. */
class TlsLoopbackTest {

    private static final String ECHO = "dev.switchboard.framework.fixtures.echo";
    private static final String ECHO_CLIENT = "dev.switchboard.framework.fixtures.echoclient";
    /** What a peer that was refused must see within: far below the 10 s handshake and auth timeouts. */
    private static final int CLOSE_WITHIN_MILLIS = 3_000;

    @TempDir
    Path dir;

    private final Probe serverProbe = new Probe();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final AtomicInteger connects = new AtomicInteger();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger errorLogger = (Logger) LoggerFactory.getLogger(ErrorLogger.class);
    private final List<ILoggingEvent> logged = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            logged.add(event);
        }
    };
    private final TestCertificates authority = TestCertificates.authority();

    @BeforeEach
    void capture() {
        appender.start();
        root.addAppender(appender);
        errorLogger.setLevel(Level.DEBUG); // so that a second line about the same connection would show
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        root.detachAppender(appender);
        errorLogger.setLevel(null);
    }

    private Server server(Consumer<ServerConfig> more) {
        Server server = Switchboard.server(c -> {
            c.scan(ECHO).host("127.0.0.1").port(0).ioThreads(1).businessExecutor(2, 100).shutdownHook(false)
                    .modules(binder -> binder.bind(Probe.class).toInstance(serverProbe));
            more.accept(c);
        });
        open.add(server);
        return server.start();
    }

    private Client client(int port, Consumer<ClientConfig> more) throws IOException {
        Client client = Switchboard.client(c -> {
            c.scan(ECHO, ECHO_CLIENT).port(port).ioThreads(1).businessExecutor(1, 10)
                    .modules(binder -> binder.bind(Probe.class).toInstance(new Probe()))
                    .reconnect(Duration.ofMillis(20), Duration.ofMillis(100))
                    .requestTimeout(Duration.ofSeconds(5))
                    .onConnect(connection -> {
                        connects.incrementAndGet();
                        connection.send(new Login("ann"));
                    });
            more.accept(c);
        });
        open.add(client);
        return client.connect();
    }

    /** A server presenting a certificate for 127.0.0.1 and localhost, issued by the test authority. */
    private ServerTls issuedFor(String... names) {
        Issued certificate = authority.issue(KeyType.EC, names);
        return ServerTls.pem(certificate.writeChain(dir.resolve("chain.pem")),
                certificate.writePkcs8Key(dir.resolve("key.pem")));
    }

    private Path authorityFile() {
        return authority.self().writeCertificate(dir.resolve("ca.pem"));
    }

    /** An Echo request: onConnect's Login went first, and the server holds what follows a blocking login. */
    private static Echoed echo(Client client, String text) throws Exception {
        return client.request(new Echo(text), Echoed.class).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aClientTrustingTheAuthorityTalksToAServerWithPemFiles() throws Exception {
        Server server = server(c -> c.tls(issuedFor("127.0.0.1", "localhost")));
        Client client = client(server.port(), c -> c.tls(ClientTls.trusting(authorityFile())));

        assertThat(echo(client, "over tls").text()).isEqualTo("over tls");
        assertThat(serverProbe.calls).contains("login:ann");
        assertThat(logged).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
    }

    @Test
    void theHostnameIsVerifiedByName() throws Exception {
        Server server = server(c -> c.tls(issuedFor("localhost")));
        Client client = client(server.port(), c -> c.host("localhost").tls(ClientTls.trusting(authorityFile())));

        assertThat(echo(client, "by name").text()).isEqualTo("by name");
    }

    @Test
    void aCertificateForAnotherNameFailsTheHandshake() {
        Server server = server(c -> c.tls(issuedFor("chat.example.invalid")));

        assertThatThrownBy(() -> client(server.port(), c -> c.tls(ClientTls.trusting(authorityFile()))))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("TLS handshake with 127.0.0.1:" + server.port() + " failed")
                .hasRootCauseInstanceOf(CertificateException.class)
                .rootCause().hasMessageContaining("127.0.0.1");
        until("the server closed its side", () -> server.connectionCount() == 0);
    }

    @Test
    void aClientTrustingAnotherCertificateFailsTheHandshakeAndTheServerLogsOneLine() throws Exception {
        Server server = server(c -> c.tls(issuedFor("127.0.0.1")));
        Path stranger = TestCertificates.selfSigned(KeyType.EC, "127.0.0.1").writeCertificate(dir.resolve("x.pem"));

        assertThatThrownBy(() -> client(server.port(), c -> c.tls(ClientTls.trusting(stranger))))
                .isInstanceOf(IOException.class)
                .cause().isInstanceOf(SSLHandshakeException.class);
        until("the server closed its side", () -> server.connectionCount() == 0);
        until("both sides logged", () -> errorLines().size() == 2);
        // One short line for each side's connection: the client's says why it refused, the server's what it heard.
        assertThat(errorLines()).allSatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.INFO);
            assertThat(event.getThrowableProxy()).isNull();
        });
        assertThat(errorLines()).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line).endsWith("closing: TLS failed: Received fatal alert: "
                        + "certificate_unknown"))
                .anySatisfy(line -> assertThat(line).contains("closing: TLS failed: PKIX path building failed"));
    }

    private List<ILoggingEvent> errorLines() {
        return logged.stream().filter(event -> event.getLoggerName().equals(ErrorLogger.class.getName())).toList();
    }

    @Test
    void anInsecureClientTalksToASelfSignedServerAndBothWarn() throws Exception {
        Server server = server(c -> c.tls(ServerTls.selfSigned()));
        Client client = client(server.port(), c -> c.tls(ClientTls.insecure()));

        assertThat(echo(client, "dev").text()).isEqualTo("dev");
        List<ILoggingEvent> warnings = logged.stream().filter(event -> event.getLevel() == Level.WARN).toList();
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0).getFormattedMessage()).contains("self-signed").contains("for development only")
                .containsPattern("SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(warnings.get(1).getFormattedMessage()).contains("without verifying").contains("insecure");
    }

    @Test
    void theClientReconnectsAndHandshakesAgain() throws Exception {
        Server server = server(c -> c.tls(ServerTls.selfSigned()));
        Client client = client(server.port(), c -> c.tls(ClientTls.insecure()));
        echo(client, "first");

        client.send(new Bye());
        until("second connect", () -> connects.get() == 2);
        until("second login", () -> serverProbe.calls.stream().filter("login:ann"::equals).count() == 2);
        assertThat(echo(client, "again").text()).isEqualTo("again");
    }

    @Test
    void aSelfSignedServerIsRefusedByAClientTrustingTheJvmStore() {
        Server server = server(c -> c.tls(ServerTls.selfSigned()));

        assertThatThrownBy(() -> client(server.port(), c -> c.tls(ClientTls.jvmTrustStore())))
                .isInstanceOf(IOException.class).cause().isInstanceOf(SSLHandshakeException.class);
    }

    /** Version 2 matters: the magic and a version byte of 2 read as the header of a 4.6 KB SSLv2 record. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aPlaintextClientIsClosedAtOnceWithOneLogLine(int version) throws Exception {
        Server server = server(c -> c.tls(ServerTls.selfSigned()));
        logged.clear();
        byte[] body = "{\"user\":\"ann\"}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocate(11 + body.length) // a well-formed Login in the default wire format
                .putInt(DefaultWireFormat.DEFAULT_MAGIC).put((byte) version).put((byte) 1).put((byte) 1)
                .putInt(body.length)
                .put(body);

        assertClosedQuickly(server, frame.array());

        assertThat(logged).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.INFO);
            assertThat(event.getFormattedMessage()).endsWith("closing: TLS failed: not a TLS record (a plaintext"
                    + " client?)");
            assertThat(event.getThrowableProxy()).isNull();
        });
        assertThat(serverProbe.calls).isEmpty();
    }

    @Test
    void garbageInATlsRecordIsClosedAtOnceWithOneShortLine() throws Exception {
        Server server = server(c -> c.tls(ServerTls.selfSigned()));
        logged.clear();
        byte[] garbage = new byte[300];
        garbage[0] = 0x16; // handshake record
        garbage[1] = 0x03;
        garbage[2] = 0x03;
        garbage[3] = 0x01; // length 295
        garbage[4] = 0x27;
        for (int i = 5; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31);
        }

        assertClosedQuickly(server, garbage);

        assertThat(logged).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.INFO);
            assertThat(event.getFormattedMessage()).contains("closing: TLS failed: ").hasSizeLessThan(220);
            assertThat(event.getThrowableProxy()).isNull();
        });
    }

    /** Sends {@code bytes} on a raw socket and asserts the server closes it soon, and forgets the connection. */
    private void assertClosedQuickly(Server server, byte[] bytes) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
            socket.setSoTimeout(CLOSE_WITHIN_MILLIS);
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[1024];
            int read;
            do {
                read = in.read(buffer); // a TLS alert may come before the close; a timeout fails the test
            } while (read >= 0);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(CLOSE_WITHIN_MILLIS);
        }
        until("the server forgot the connection", () -> server.connectionCount() == 0);
        // SslHandler may close the channel before the exception that follows reaches the ErrorLogger
        until("the server logged", () -> !logged.isEmpty());
    }

    @Test
    void aTlsClientAgainstAPlaintextServerFailsToConnect() {
        Server server = server(c -> {});

        assertThatThrownBy(() -> client(server.port(), c -> c.tls(ClientTls.insecure())))
                .isInstanceOf(IOException.class).hasMessageContaining("TLS handshake");
        until("the server closed its side", () -> server.connectionCount() == 0);
    }

    @Test
    void unusableFilesFailTheStartNamingTheFile() {
        Path missing = dir.resolve("missing.pem");
        Issued certificate = authority.issue(KeyType.EC, "localhost");
        Path key = certificate.writePkcs8Key(dir.resolve("key.pem"));

        assertThatThrownBy(() -> server(c -> c.tls(ServerTls.pem(missing, key))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TLS certificate chain " + missing + " does not exist");
        assertThatThrownBy(() -> client(1, c -> c.tls(ClientTls.trusting(missing))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TLS trusted certificates " + missing + " does not exist");
    }
}
