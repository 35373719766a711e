package dev.switchboard.framework;

import static dev.switchboard.framework.testing.Eventually.until;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.switchboard.framework.fixtures.tiny.Enter;
import dev.switchboard.framework.fixtures.tiny.Heard;
import dev.switchboard.framework.fixtures.tiny.TextSerializer;
import dev.switchboard.framework.fixtures.tiny.TinyWireFormat;
import dev.switchboard.framework.testing.WebSocketTestClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The tiny second protocol over the WebSocket port, with Netty's WebSocket client on loopback: the same handlers,
 * auth gate, heartbeat and idle rules as over TCP; the origin check; close codes for bad input; static files.
 */
class WebSocketLoopbackTest {

    private static final String TINY = "dev.switchboard.framework.fixtures.tiny";
    private static final String ALLOWED = "https://chat.example.com";

    private final List<AutoCloseable> open = new ArrayList<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final List<ILoggingEvent> logged = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            logged.add(event);
        }
    };

    @BeforeEach
    void capture() {
        appender.start();
        root.addAppender(appender);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        root.detachAppender(appender);
    }

    private Server server(Consumer<ServerConfig> more) {
        Server server = Switchboard.server(c -> {
            c.scan(TINY).wireFormat(new TinyWireFormat()).serializers(new TextSerializer())
                    .maxBodyLength(TinyWireFormat.MAX_BODY)
                    .errorHandler((connection, failure) -> new Heard("refused " + failure.kind()))
                    .listener(new ConnectionListener() {
                        @Override
                        public void opened(Connection connection) {
                            opened.incrementAndGet();
                        }

                        @Override
                        public void closed(Connection connection) {
                        }
                    })
                    .host("127.0.0.1").port(0).ioThreads(1).businessExecutor(1, 10).shutdownHook(false)
                    .webSocket(ws -> ws.allowOrigin(ALLOWED).staticFiles("webtest"));
            more.accept(c);
        });
        open.add(server);
        return server.start();
    }

    private Server server() {
        return server(c -> { });
    }

    private WebSocketTestClient client(Server server, String origin) throws Exception {
        WebSocketTestClient client = WebSocketTestClient.connect(server.webSocketPort().orElseThrow(), "/ws", origin,
                false);
        open.add(client);
        return client;
    }

    private WebSocketTestClient client(Server server) throws Exception {
        return client(server, null);
    }

    /** One tiny frame: magic, command, length, UTF-8 text. */
    private static byte[] tiny(int command, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + body.length).putShort((short) 0xCAFE).put((byte) command)
                .putShort((short) body.length).put(body).array();
    }

    /** The text of a Heard frame (command 2). */
    private static String heard(byte[] message) {
        assertThat(message[2]).as("command").isEqualTo((byte) 2);
        return new String(message, 5, message.length - 5, StandardCharsets.UTF_8);
    }

    private static String ask(WebSocketTestClient client, int command, String text) throws Exception {
        client.sendBinary(tiny(command, text));
        return heard(client.nextBinary());
    }

    private long linesAtInfoOrAbove() {
        return logged.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.INFO))
                .filter(event -> event.getFormattedMessage().contains("closing")
                        || event.getFormattedMessage().contains("refused"))
                .count();
    }

    @Test
    void theTinyProtocolRunsOverWebSocketWithItsAuthGate() throws Exception {
        Server server = server();
        WebSocketTestClient client = client(server);
        assertThat(client.handshakeStatus()).isEqualTo(101);

        assertThat(ask(client, 1, "héllo")).isEqualTo("HÉLLO"); // anonymous request, reply
        assertThat(ask(client, 4, "psst")).isEqualTo("refused NOT_AUTHENTICATED");
        assertThat(ask(client, 3, "ann")).isEqualTo("welcome ann");
        assertThat(ask(client, 4, "PSST")).isEqualTo("ann: psst");
        assertThat(client.textReceived()).isEmpty();
        assertThat(opened).as("the listener heard of the connection").hasValue(1); // before the first reply
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void repliesInRequestOrderWhenPipelined() throws Exception {
        Server server = server();
        WebSocketTestClient client = client(server);
        for (int i = 0; i < 50; i++) {
            client.sendBinary(tiny(1, "n" + i));
        }
        for (int i = 0; i < 50; i++) {
            assertThat(heard(client.nextBinary())).isEqualTo("N" + i);
        }
    }

    @Test
    void theProtocolHeartbeatKeepsAConnectionAndWebSocketPingsAreAnsweredButDoNot() throws Exception {
        Server server = server(c -> c.readerIdleTimeout(Duration.ofMillis(600)));
        WebSocketTestClient client = client(server);
        for (int i = 0; i < 8; i++) { // 1.6 s of heartbeats, every 200 ms
            assertThat(ask(client, 1, "beat")).isEqualTo("BEAT");
            Thread.sleep(200);
        }
        assertThat(client.isOpen()).isTrue();

        long began = System.nanoTime();
        while (client.isOpen() && System.nanoTime() - began < 3_000_000_000L) {
            client.ping();
            Thread.sleep(100);
        }
        assertThat(client.pongs()).as("pings answered").isPositive();
        assertThat(client.awaitCloseCode()).as("closed by the idle rule, normally").isEqualTo(1000);
        assertThat(client.awaitClosed(Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void theAuthTimeoutClosesWith1008() throws Exception {
        Server server = server(c -> c.authTimeout(Duration.ofMillis(300)));
        WebSocketTestClient client = client(server);

        assertThat(client.awaitCloseCode()).isEqualTo(1008);
        assertThat(linesAtInfoOrAbove()).isEqualTo(1);
    }

    @Test
    void originsNotAllowedAreRefusedWith403() throws Exception {
        Server server = server();
        int port = server.webSocketPort().orElseThrow();

        assertThat(client(server, "https://evil.example").handshakeStatus()).isEqualTo(403);
        assertThat(client(server, "null").handshakeStatus()).isEqualTo(403);
        assertThat(client(server, "https://chat.example.com.evil.example").handshakeStatus()).isEqualTo(403);
        assertThat(client(server, "http://chat.example.com").handshakeStatus()).as("another scheme").isEqualTo(403);
        assertThat(client(server, ALLOWED).handshakeStatus()).isEqualTo(101);
        assertThat(client(server, "HTTPS://Chat.Example.com").handshakeStatus()).isEqualTo(101);
        assertThat(client(server, "http://127.0.0.1:" + port).handshakeStatus()).as("same origin").isEqualTo(101);
        assertThat(client(server, null).handshakeStatus()).as("no origin: a program").isEqualTo(101);
        until("the listeners heard of the four accepted", () -> opened.get() == 4);
        Thread.sleep(100);
        assertThat(opened).as("refused handshakes are no connections for the listeners").hasValue(4);
        assertThat(linesAtInfoOrAbove()).as("one line per refusal").isEqualTo(4);
    }

    @Test
    void originlessClientsAndTheSameOriginCanBeRefusedToo() throws Exception {
        Server server = server(c -> c.webSocket(ws -> ws.allowMissingOrigin(false).allowSameOrigin(false)));
        int port = server.webSocketPort().orElseThrow();

        assertThat(client(server, null).handshakeStatus()).isEqualTo(403);
        assertThat(client(server, "http://127.0.0.1:" + port).handshakeStatus()).isEqualTo(403);
        assertThat(client(server, ALLOWED).handshakeStatus()).isEqualTo(101);
    }

    @Test
    void aRebindingPageNamingItsOwnSiteIsRefusedWhereLocalhostIsNot() throws Exception {
        Server server = server();
        int port = server.webSocketPort().orElseThrow();
        String rebound = handshake(port, "rebound.example:" + port, "http://rebound.example:" + port);
        assertThat(rebound).startsWith("HTTP/1.1 403")
                .contains("over loopback the Host must be localhost or a loopback address");
        assertThat(handshake(port, "localhost:" + port, "http://localhost:" + port)).startsWith("HTTP/1.1 101");
        assertThat(logged.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(line -> line.contains("refused WebSocket handshake"))).singleElement().asString()
                .contains("http://rebound.example:" + port, "its Host is not a loopback name");
    }

    @Test
    void pingsTakeTheFrameRateLikeEveryOtherFrame() throws Exception {
        // Netty answers pings before the protocol's handlers see a frame; unshaped, a client that reads its pongs
        // could have the server answer as fast as it can send, where over TCP every frame waits its turn.
        Server server = server(c -> c.framesPerSecond(100, 100));
        WebSocketTestClient client = client(server);
        long began = System.nanoTime();
        for (int i = 0; i < 300; i++) {
            client.ping();
        }
        // Read, they are answered (a read already made goes through whole); the next read waits for the debt.
        until("every ping answered", () -> client.pongs() == 300);
        assertThat(ask(client, 1, "after")).isEqualTo("AFTER");
        long tookMs = (System.nanoTime() - began) / 1_000_000;
        assertThat(tookMs).as("ms until a request after 300 pings was answered, at 100 frames/s with bursts of"
                + " 100: it waits for the 200 pings over the burst (2 s)").isGreaterThanOrEqualTo(1_500);
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void withTheFrameRateOffTheUpgradedConnectionServesAsUsual() throws Exception {
        Server server = server(c -> c.framesPerSecond(0, 1));
        WebSocketTestClient client = client(server);
        client.ping();
        assertThat(ask(client, 1, "unshaped")).isEqualTo("UNSHAPED");
        until("the ping answered", () -> client.pongs() == 1);
    }

    @Test
    void aTextMessageClosesWith1003() throws Exception {
        Server server = server();
        WebSocketTestClient client = client(server);
        client.sendText("hello");

        assertThat(client.awaitCloseCode()).isEqualTo(1003);
        assertThat(client.awaitClosed(Duration.ofSeconds(2))).isTrue();
        assertThat(linesAtInfoOrAbove()).isEqualTo(1);
    }

    @Test
    void aMessageOverOneFrameClosesWith1009WholeOrInFragments() throws Exception {
        Server server = server();
        int max = 5 + TinyWireFormat.MAX_BODY;
        WebSocketTestClient whole = client(server);
        whole.sendBinary(new byte[max + 1]);
        assertThat(whole.awaitCloseCode()).isEqualTo(1009);

        WebSocketTestClient fragments = client(server);
        fragments.sendFragmented(new byte[max + 1], 40_000, max + 1 - 40_000);
        assertThat(fragments.awaitCloseCode()).isEqualTo(1009);

        WebSocketTestClient largest = client(server);
        assertThat(ask(largest, 1, "x".repeat(TinyWireFormat.MAX_BODY))).hasSize(TinyWireFormat.MAX_BODY);
        assertThat(linesAtInfoOrAbove()).as("one line for each refused connection").isEqualTo(2);
        assertThat(logged).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
    }

    @Test
    void aMessageThatIsNotOneFrameClosesWith1002() throws Exception {
        Server server = server();
        WebSocketTestClient garbage = client(server);
        garbage.sendBinary("GET / HTTP/1.1".getBytes(StandardCharsets.US_ASCII));
        assertThat(garbage.awaitCloseCode()).isEqualTo(1002);
        assertThat(garbage.closeReason()).contains("bad magic");

        WebSocketTestClient two = client(server);
        byte[] one = tiny(1, "a");
        two.sendBinary(ByteBuffer.allocate(2 * one.length).put(one).put(one).array());
        assertThat(two.awaitCloseCode()).isEqualTo(1002);
        assertThat(two.nextBinaryOrNull(100)).as("neither frame was handled").isNull();
        assertThat(logged).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
    }

    @Test
    void theDrainClosesWith1001() throws Exception {
        Server server = server();
        WebSocketTestClient client = client(server);
        assertThat(ask(client, 1, "hi")).isEqualTo("HI");

        server.close();
        assertThat(client.awaitCloseCode()).isEqualTo(1001);
        until("the WebSocket port is closed", () -> !portAnswers(server.webSocketPort().orElseThrow()));
    }

    @Test
    void wssWhenTheServerHasTls() throws Exception {
        Server server = server(c -> c.tls(ServerTls.selfSigned()));
        WebSocketTestClient client = WebSocketTestClient.connect(server.webSocketPort().orElseThrow(), "/ws",
                "https://127.0.0.1:" + server.webSocketPort().orElseThrow(), true);
        open.add(client);

        assertThat(client.handshakeStatus()).as("the same origin is https with TLS").isEqualTo(101);
        assertThat(ask(client, 3, "tls")).isEqualTo("welcome tls");
    }

    @Test
    void theConnectionLimitsCountWebSocketConnections() throws Exception {
        Server server = server(c -> c.connectionsPerSource(1, 100, 200));
        WebSocketTestClient first = client(server);
        assertThat(ask(first, 1, "a")).isEqualTo("A");

        WebSocketTestClient second = client(server);
        assertThat(second.handshakeStatus()).as("closed unanswered").isEqualTo(-1);
    }

    @Test
    void theListenerServesStaticFiles() throws Exception {
        Server server = server();
        int port = server.webSocketPort().orElseThrow();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(index.body()).contains("<title>test page</title>");

        HttpResponse<String> script = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/js/app.js")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(script.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");

        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/nothing.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);

        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);

        HttpResponse<String> plainGetOfTheSocket = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/ws")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plainGetOfTheSocket.statusCode()).as("not an upgrade").isEqualTo(400);

        assertThat(rawRequest(port, "GET /../webtest-secret.txt HTTP/1.1\r\nHost: x\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
        assertThat(rawRequest(port, "GET /%2e%2e/webtest-secret.txt HTTP/1.1\r\nHost: x\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
        assertThat(opened).as("HTTP requests are no connections for the listeners").hasValue(0);
    }

    @Test
    void aTrickledOrOversizedRequestIsCut() throws Exception {
        Server server = server();
        int port = server.webSocketPort().orElseThrow();
        String huge = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n";
        assertThat(rawRequest(port, huge)).startsWith("HTTP/1.1 4"); // 431 or 400, then closed
    }

    /** A WebSocket handshake by hand, so that the Host can be any name; returns the first read of the answer. */
    private static String handshake(int port, String host, String origin) throws Exception {
        return rawRequest(port, "GET /ws HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n");
    }

    /** Sends raw bytes and returns everything answered until the server closes or 5 s pass. */
    private static String rawRequest(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int n = in.read(buffer);
            return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
        }
    }

    private static boolean portAnswers(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void tcpAndWebSocketClientsShareOneServer() throws Exception {
        Server server = server();
        try (Client tcp = Switchboard.client(c -> c.scan(TINY).wireFormat(new TinyWireFormat())
                .serializers(new TextSerializer()).maxBodyLength(TinyWireFormat.MAX_BODY)
                .port(server.port()).ioThreads(1).businessExecutor(1, 10).noReconnect()).connect()) {
            assertThat(tcp.request(new Enter("tcp"), Heard.class).get()).isEqualTo(new Heard("welcome tcp"));
            WebSocketTestClient ws = client(server);
            assertThat(ask(ws, 3, "ws")).isEqualTo("welcome ws");
            until("both connected", () -> server.connectionCount() == 2);
        }
    }
}
