package dev.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The admin listener over real loopback HTTP: routing, the token, its limits, and that it is off by default. */
class AdminListenerTest {

    private static final String ECHO = "dev.switchboard.framework.fixtures.echo";
    private static final String TOKEN = "0123456789abcdef-token";

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
        root.detachAppender(log);
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Server server(Consumer<AdminConfig> admin) {
        Server server = Switchboard.server(c -> c.scan(ECHO).host("127.0.0.1").port(0).ioThreads(1)
                .shutdownHook(false).admin(admin));
        open.add(server);
        return server.start();
    }

    private HttpResponse<String> send(Server server, String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.adminPort().getAsInt() + path))
                .timeout(Duration.ofSeconds(5)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void offUnlessConfigured() {
        Server server = Switchboard.server(c -> c.scan(ECHO).host("127.0.0.1").port(0).shutdownHook(false));
        open.add(server);
        server.start();
        assertThat(server.adminPort()).isEmpty();
    }

    @Test
    void answersGetAndPostEndpointsByMethodAndPath() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        Server server = server(a -> a
                .get("/stats", request -> AdminResponse.json("{\"n\":" + request.parameter("n").orElse("0") + "}"))
                .post("/gc", request -> AdminResponse.text("collected " + posts.incrementAndGet())));

        HttpResponse<String> stats = send(server, "GET", "/stats?n=7", null);
        assertThat(stats.statusCode()).isEqualTo(200);
        assertThat(stats.body()).isEqualTo("{\"n\":7}");
        assertThat(stats.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(send(server, "POST", "/gc", null).body()).isEqualTo("collected 1");

        HttpResponse<String> wrongMethod = send(server, "GET", "/gc", null);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("allow")).hasValue("POST");
        assertThat(send(server, "POST", "/stats", null).statusCode()).isEqualTo(405);
        assertThat(send(server, "GET", "/nothing", null).statusCode()).isEqualTo(404);
        assertThat(posts).hasValue(1); // the refused GET /gc ran nothing
    }

    @Test
    void bindsToLoopbackByDefault() {
        Server server = server(a -> a.get("/stats", request -> AdminResponse.text("ok")));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.adminPort().getAsInt()), 2_000);
            assertThat(socket.isConnected()).isTrue();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(log.list).anySatisfy(event ->
                assertThat(event.getFormattedMessage()).startsWith("admin listener on /127.0.0.1:"));
    }

    /**
     * What a page of any site can make the operator's browser send to a loopback port without a preflight: a form's
     * POST, a no-cors fetch. With no token configured, it must not drain the server, nor reach any endpoint.
     */
    @Test
    void aRequestABrowserSendsForAWebPageIsRefused() throws Exception {
        AtomicInteger reached = new AtomicInteger();
        Server server = server(a -> a.get("/stats", request -> AdminResponse.text("n=" + reached.incrementAndGet())));
        log.list.clear();
        for (String request : List.of(
                "POST /drain HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=1",
                "POST /drain HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: null\r\nContent-Length: 0\r\n\r\n",
                "GET /stats HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1:8080\r\n\r\n")) {
            try (Socket socket = new Socket("127.0.0.1", server.adminPort().getAsInt())) {
                socket.setSoTimeout(5_000);
                OutputStream out = socket.getOutputStream();
                out.write(request.replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(readUntilClosed(socket.getInputStream())).startsWith("HTTP/1.1 403 ")
                        .endsWith("admin requests from web pages are refused\n");
            }
        }
        assertThat(server.state()).isEqualTo(Server.State.SERVING);
        assertThat(reached).hasValue(0);
        assertThat(send(server, "GET", "/stats", null).body()).as("a tool sends no Origin").isEqualTo("n=1");
        assertThat(log.list).isEmpty();
    }

    /**
     * DNS rebinding: a page whose host name now points at 127.0.0.1 makes same-origin GETs, with no Origin, naming
     * its own site as the Host. Over loopback only localhost and loopback addresses are taken as a Host.
     */
    @Test
    void overLoopbackAHostThatIsNotLoopbackIsRefused() throws Exception {
        AtomicInteger reached = new AtomicInteger();
        Server server = server(a -> a.get("/stats", request -> AdminResponse.text("n=" + reached.incrementAndGet())));
        int port = server.adminPort().getAsInt();
        log.list.clear();
        assertThat(raw(port, "GET /stats HTTP/1.1\r\nHost: rebound.example:" + port + "\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 403 ").endsWith("the Host header must be localhost or a loopback address\n");
        assertThat(raw(port, "GET /health/ready HTTP/1.1\r\nHost: rebound.example\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 403 ");
        assertThat(reached).hasValue(0);
        for (String host : List.of("localhost:" + port, "LOCALHOST", "127.0.0.1:" + port, "127.1.2.3")) {
            assertThat(raw(port, "GET /stats HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"))
                    .as(host).startsWith("HTTP/1.1 200 ");
        }
        assertThat(send(server, "GET", "/stats", null).statusCode()).as("Java's client").isEqualTo(200);
        assertThat(log.list).isEmpty();
    }

    private static String raw(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return readUntilClosed(socket.getInputStream());
        }
    }

    @Test
    void withATokenEveryRequestNeedsIt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Server server = server(a -> a.token(TOKEN).get("/stats", request -> {
            calls.incrementAndGet();
            return AdminResponse.text("ok");
        }));

        HttpResponse<String> none = send(server, "GET", "/stats", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate")).hasValue("Bearer");
        assertThat(send(server, "GET", "/stats", TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(send(server, "GET", "/stats", TOKEN.substring(1)).statusCode()).isEqualTo(401);
        assertThat(send(server, "GET", "/nothing", null).statusCode())
                .as("unknown paths are not revealed without the token").isEqualTo(401);
        assertThat(calls).hasValue(0);

        assertThat(send(server, "GET", "/stats", TOKEN).statusCode()).isEqualTo(200);
        assertThat(calls).hasValue(1);
    }

    @Test
    void refusesShortTokensAndDuplicateOrBadPaths() {
        assertThatThrownBy(() -> Switchboard.server(c -> c.admin(a -> a.token("short"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16");
        assertThatThrownBy(() -> Switchboard.server(c -> c.admin(a -> a
                .get("/x", r -> AdminResponse.text("")).get("/x", r -> AdminResponse.text("")))))
                .hasMessageContaining("GET /x declared twice");
        assertThatThrownBy(() -> Switchboard.server(c -> c.admin(a -> a.get("x", r -> AdminResponse.text("")))))
                .hasMessageContaining("must start with /");
    }

    @Test
    void aFailingEndpointIsA500AndOneLogLine() throws Exception {
        Server server = server(a -> a.get("/boom", request -> {
            throw new IllegalStateException("kaput");
        }));
        log.list.clear();
        HttpResponse<String> response = send(server, "GET", "/boom", null);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("IllegalStateException").doesNotContain("kaput");
        assertThat(log.list).hasSize(1);
        assertThat(log.list.get(0).getFormattedMessage()).isEqualTo("admin endpoint GET /boom failed");
    }

    @Test
    void oversizedHeadersAreRefusedAndClosed() throws Exception {
        Server server = server(a -> a.get("/stats", request -> AdminResponse.text("ok")));
        try (Socket socket = new Socket("127.0.0.1", server.adminPort().getAsInt())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = readUntilClosed(socket.getInputStream());
            assertThat(reply).startsWith("HTTP/1.1 4"); // 400 or 431, and then the connection closes
        }
    }

    @Test
    void aMalformedPercentEscapeIsA400AndAClose() throws Exception {
        Server server = server(a -> a.get("/stats", request -> AdminResponse.text("ok")));
        log.list.clear();
        for (String target : List.of("/%zz", "/stats?x=%zz", "/stats?x=%4", "/stats%")) {
            try (Socket socket = new Socket("127.0.0.1", server.adminPort().getAsInt())) {
                socket.setSoTimeout(5_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String reply = readUntilClosed(socket.getInputStream());
                assertThat(reply).as(target).startsWith("HTTP/1.1 400 ").endsWith("malformed percent-escape in the path"
                        + " or query\n");
            }
        }
        assertThat(log.list).isEmpty();
        assertThat(send(server, "GET", "/stats", null).body()).isEqualTo("ok");
    }

    /**
     * HTTP/1.1 pipelining on three connections at once: each one's requests are answered one after another, in
     * order, and none is refused for the admin thread's queue (16), which 51 requests would overflow were a
     * connection's waiting requests queued there rather than on the connection.
     */
    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        Server server = server(a -> a.get("/stats", request -> {
            Thread.sleep(1); // long enough for the rest of the requests to be read while one runs
            return AdminResponse.text("n=" + request.parameter("n").orElseThrow());
        }));
        int count = 17; // one being answered and the 16 a connection may have waiting
        StringBuilder requests = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            requests.append("GET /stats?n=").append(i).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    .append(i == count ? "Connection: close\r\n" : "").append("\r\n");
            expected.add("n=" + i);
        }
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int c = 0; c < 3; c++) {
                Socket socket = new Socket("127.0.0.1", server.adminPort().getAsInt());
                sockets.add(socket);
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
            for (Socket socket : sockets) {
                String replies = readUntilClosed(socket.getInputStream());
                List<String> bodies = new ArrayList<>();
                java.util.regex.Matcher body = java.util.regex.Pattern.compile("n=\\d+").matcher(replies);
                while (body.find()) {
                    bodies.add(body.group());
                }
                assertThat(replies).doesNotContain(" 503 ");
                assertThat(bodies).isEqualTo(expected);
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void endpointsRunOneAtATimeOnTheAdminThread() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        List<String> threads = new ArrayList<>();
        Server server = server(a -> a.get("/slow", request -> {
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            synchronized (threads) {
                threads.add(Thread.currentThread().getName());
            }
            entered.countDown();
            release.await(10, TimeUnit.SECONDS);
            concurrent.decrementAndGet();
            return AdminResponse.text("done");
        }));
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        HttpClient first = HttpClient.newHttpClient();
        replies.add(first.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.adminPort().getAsInt() + "/slow")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        assertThat(replies.get(0).get(5, TimeUnit.SECONDS).body()).isEqualTo("done");
        for (int i = 0; i < 5; i++) {
            assertThat(send(server, "GET", "/slow", null).statusCode()).isEqualTo(200);
        }
        assertThat(maxConcurrent).hasValue(1);
        assertThat(threads).allSatisfy(name -> assertThat(name).isEqualTo("switchboard-admin"));
    }

    @Test
    void aConnectionPastTheCapIsAnsweredAndTheOldestHeldOneClosed() throws Exception {
        Server server = server(a -> a.get("/stats", request -> AdminResponse.text("ok")));
        int port = server.adminPort().getAsInt();
        List<Socket> held = new ArrayList<>();
        try {
            // Holding the port as an attacker would: every place taken by a request begun and never finished.
            for (int i = 0; i < 16; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write("GET /sta".getBytes(StandardCharsets.US_ASCII));
                held.add(socket);
            }
            assertThat(raw(port, "GET /stats HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                    .as("a probe past the cap").startsWith("HTTP/1.1 200 ");
            assertThat(closedWithoutAByte(held.get(0))).as("the oldest").isTrue();

            Socket second = held.get(1);
            second.getOutputStream().write("ts HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readUntilClosed(second.getInputStream())).as("the others kept their places")
                    .startsWith("HTTP/1.1 200 ");
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /**
     * The leak detector (paranoid in tests) fails the class if a buffer is lost: closing the listener with
     * connections half way through a request left their HTTP decoders' buffers unreleased about once in 30 closes
     * when the loop's own shutdown closed them.
     */
    @Test
    void closingWithConnectionsHalfWayThroughARequestReleasesWhatTheyHeld() throws Exception {
        for (int round = 0; round < 30; round++) {
            Server server = server(a -> a.get("/stats", request -> AdminResponse.text("ok")));
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    Socket socket = new Socket("127.0.0.1", server.adminPort().getAsInt());
                    socket.getOutputStream().write("GET /sta".getBytes(StandardCharsets.US_ASCII));
                    held.add(socket);
                }
                server.close(); // while they are open: their side closes after
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void closingTheServerClosesTheAdminPort() throws Exception {
        Server server = server(a -> a.get("/stats", request -> AdminResponse.text("ok")));
        int port = server.adminPort().getAsInt();
        server.close();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
    }

    /** End of stream, or a reset: a server that closes with bytes it has not read resets the connection. */
    private static boolean closedWithoutAByte(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
}
