package dev.switchboard.framework.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.framework.AdminResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever reaches the admin port, through its real pipeline (the connection cap, the HTTP codec and aggregator
 * with the listener's limits, the request handler) on an {@link EmbeddedChannel}, endpoints run in place. Checked:
 * no exception leaves the pipeline and nothing is logged at INFO or above; what is written back is a sequence of
 * whole HTTP responses with a status from the listener's list and a {@code Content-Length}, and nothing follows one
 * that said {@code Connection: close}, after which the connection is closed; with a token configured, no guarded
 * endpoint runs for bytes that do not hold the token; no endpoint runs for a request with an {@code Origin} header.
 * Leaks fail the class through the leak detector.
 *
 * <p>Input, through {@link FuzzedDataProvider}: whether a token is configured; then either raw bytes, or up to three
 * requests built from a method, one of the routes' paths (or none) with a fuzzed suffix, an {@code Authorization}
 * header (the token, another, malformed or none), maybe an {@code Origin}, {@code Expect}, {@code Connection} or
 * fuzzed header, and a body sent with a right, wrong or no {@code Content-Length} or chunked; written in up to three
 * pieces cut at fuzzed places; over loopback (a Host must name it) or not.
 */
class AdminListenerFuzzTest {

    private static final String TOKEN = "0123456789abcdef-token";
    /** What the listener answers: its endpoints' and its own refusals, and the aggregator's (100, 413, 417). */
    private static final Set<Integer> STATUSES = Set.of(100, 200, 202, 400, 401, 403, 404, 405, 413, 417, 503);
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "OPTIONS", "DELETE");
    private static final List<String> PATHS = List.of("/stats", "/gc", "/health/ready", "/nope", "", "http://x/stats");
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) [^\\r\\n]*\\r\\n");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length: *(\\d+)$");
    private static final Pattern CLOSE = Pattern.compile("(?im)^connection: *close$");

    private static final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private static final Logger root = (Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    private final AtomicInteger guardedRuns = new AtomicInteger();
    private final AtomicInteger openRuns = new AtomicInteger();
    private final AdminRoutes routes = new AdminRoutes(Map.of(
            "GET /stats", AdminRoutes.Route.guarded(request -> {
                guardedRuns.incrementAndGet();
                return AdminResponse.text("stats of " + request.path() + " " + request.query());
            }),
            "POST /gc", AdminRoutes.Route.guarded(request -> {
                guardedRuns.incrementAndGet();
                return AdminResponse.text("collected");
            }),
            "GET /health/ready", AdminRoutes.Route.open(request -> {
                openRuns.incrementAndGet();
                return AdminResponse.text("ready");
            })));

    @BeforeAll
    static void capture() {
        lines.start();
        root.addAppender(lines);
    }

    @AfterAll
    static void release() {
        root.detachAppender(lines);
        lines.stop();
    }

    @FuzzTest
    void anyoneWhoReachesThePort(FuzzedDataProvider data) {
        boolean tokenRequired = data.consumeBoolean();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        int requests = 0;
        int withoutOrigin = 0;
        if (data.consumeBoolean()) {
            written.writeBytes(data.consumeBytes(2048));
        } else {
            requests = data.consumeInt(1, 3);
            for (int i = 0; i < requests; i++) {
                boolean origin = data.consumeBoolean();
                withoutOrigin += origin ? 0 : 1;
                written.writeBytes(request(data, origin));
            }
        }
        byte[] bytes = written.toByteArray();
        int pieces = data.consumeInt(1, 3);
        int[] cuts = new int[pieces - 1];
        for (int i = 0, from = 0; i < cuts.length; i++) {
            cuts[i] = from = data.consumeInt(from, bytes.length);
        }
        boolean viaLoopback = data.consumeBoolean(); // last, so that older inputs still mean what they meant
        exchange(tokenRequired, viaLoopback, bytes, cuts, requests, withoutOrigin);
    }

    /**
     * Exchanges that once failed the target's checks (kept with the inputs) and the listener's refusals, written
     * whole and byte by byte: the checks above must hold for each.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("exchanges")
    void knownExchanges(String name, boolean tokenRequired, String requests, int firstStatus) {
        byte[] bytes = requests.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(exchange(tokenRequired, false, bytes, new int[0], 0, 0)).startsWith("HTTP/1.1 " + firstStatus + " ");
        int[] everyByte = new int[Math.max(0, bytes.length - 1)];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertThat(exchange(tokenRequired, false, bytes, everyByte, 0, 0))
                .startsWith("HTTP/1.1 " + firstStatus + " ");
    }

    static Stream<Arguments> exchanges() {
        String get = "GET /stats?a=1 HTTP/1.1\r\nHost: x\r\n\r\n";
        return Stream.of(
                Arguments.of("a 100 Continue is a response without headers", true,
                        "POST /gc HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nab", 100),
                Arguments.of("bad percent-escapes are answered and close", false,
                        "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n" + get, 400),
                Arguments.of("a bad escape in the query", false, "GET /stats?x=%4 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                Arguments.of("a request from a web page", false,
                        "POST /gc HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\nContent-Length: 0\r\n\r\n"
                                + get, 403),
                Arguments.of("pipelined GET, HEAD, POST and an unknown method", false,
                        get + "HEAD /stats HTTP/1.1\r\nHost: x\r\n\r\n" + "POST /gc HTTP/1.1\r\nHost: x\r\n"
                                + "Content-Length: 0\r\n\r\n" + "BREW /stats HTTP/1.1\r\nHost: x\r\n\r\n" + get, 200),
                Arguments.of("a wrong token, then none", true,
                        "GET /stats HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer guess\r\n\r\n" + get, 401),
                Arguments.of("a chunked body over the limit", false,
                        "POST /gc HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2400\r\n"
                                + "x".repeat(0x2400) + "\r\n0\r\n\r\n", 413),
                Arguments.of("a Content-Length over the limit", false,
                        "POST /gc HTTP/1.1\r\nHost: x\r\nContent-Length: 99999\r\n\r\nabc", 413),
                Arguments.of("not HTTP at all (a TLS hello)", false,
                        "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003", 400),
                Arguments.of("as many pipelined as may wait behind one, each answered in turn", false,
                        get.repeat(AdminRequestHandler.MAX_WAITING + 1), 200),
                Arguments.of("more pipelined than may wait: those taken are answered, then the close", false,
                        get.repeat(AdminRequestHandler.MAX_WAITING + 4), 200));
    }

    /** Plays the bytes, checks what the listener did, and returns what it wrote. */
    private String exchange(boolean tokenRequired, boolean viaLoopback, byte[] bytes, int[] cuts, int requests,
            int withoutOrigin) {
        lines.list.clear();
        guardedRuns.set(0);
        openRuns.set(0);
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInitializer<EmbeddedChannel>() {
            @Override
            protected void initChannel(EmbeddedChannel ch) {
                AdminListener.addHandlers(ch.pipeline(), new ConnectionCap(AdminListener.MAX_CONNECTIONS),
                        routes, tokenRequired ? TOKEN.getBytes(StandardCharsets.UTF_8) : null, Runnable::run,
                        viaLoopback);
            }
        });
        try {
            int at = 0;
            for (int piece = 0; piece <= cuts.length && at < bytes.length && channel.isOpen(); piece++) {
                int end = piece == cuts.length ? bytes.length : cuts[piece];
                channel.writeInbound(Unpooled.wrappedBuffer(bytes, at, end - at));
                channel.runPendingTasks();
                at = end;
            }
            channel.runPendingTasks();
            channel.checkException();

            String out = WrittenBytes.drain(channel);
            checkResponses(out, channel.isOpen());
            if (tokenRequired && !contains(bytes, TOKEN.getBytes(StandardCharsets.UTF_8))) {
                assertThat(guardedRuns).as("guarded endpoints run without the token").hasValue(0);
            }
            if (requests > 0) {
                assertThat(guardedRuns.get() + openRuns.get()).as("endpoints run, requests without an Origin")
                        .isLessThanOrEqualTo(withoutOrigin);
            }
            assertThat(lines.list).as("log lines at INFO or above")
                    .noneMatch(line -> line.getLevel().isGreaterOrEqual(Level.INFO));
            return out;
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** One request as a client might write it, well formed or not. */
    private static byte[] request(FuzzedDataProvider data, boolean origin) {
        StringBuilder head = new StringBuilder();
        head.append(data.consumeBoolean() ? data.pickValue(METHODS) : data.consumeAsciiString(8)).append(' ')
                .append(data.pickValue(PATHS)).append(data.consumeString(24))
                .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        switch (data.consumeInt(0, 3)) {
            case 0 -> head.append("Authorization: Bearer ").append(TOKEN).append("\r\n");
            case 1 -> head.append("Authorization: ").append(data.consumeAsciiString(40)).append("\r\n");
            case 2 -> head.append("authorization: bearer  ").append(TOKEN.toUpperCase(Locale.ROOT)).append("\r\n");
            default -> { }
        }
        if (origin) {
            head.append("Origin: ").append(data.consumeAsciiString(30)).append("\r\n");
        }
        if (data.consumeBoolean()) {
            head.append(data.pickValue(List.of("Expect: 100-continue", "Connection: close", "Connection: keep-alive",
                    "Transfer-Encoding: chunked", "Content-Length: -1", "Content-Length: 99999999999")))
                    .append("\r\n");
        }
        if (data.consumeBoolean()) {
            head.append(data.consumeAsciiString(20)).append(": ").append(data.consumeAsciiString(40)).append("\r\n");
        }
        byte[] body = data.consumeBytes(data.consumeInt(0, AdminListener.MAX_BODY + 64));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (data.consumeInt(0, 3)) {
            case 0 -> head.append("\r\n"); // no body announced: whatever follows is the next request
            case 1 -> head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            case 2 -> head.append("Content-Length: ").append(data.consumeInt(0, 2 * body.length + 1))
                    .append("\r\n\r\n");
            default -> {
                head.append("Transfer-Encoding: chunked\r\n\r\n");
                out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
                out.writeBytes((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(body);
                out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return out.toByteArray();
            }
        }
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /**
     * Whole responses, one after another. A body may be absent where its length is announced, which is what a HEAD
     * is answered with; none of the listener's bodies starts like a status line, so the next response tells.
     */
    private static void checkResponses(String out, boolean open) {
        int at = 0;
        while (at < out.length()) {
            Matcher status = STATUS_LINE.matcher(out).region(at, out.length());
            assertThat(status.lookingAt()).as("a status line at %d of %s", at, out).isTrue();
            assertThat(Integer.parseInt(status.group(1))).as("status").isIn(STATUSES);
            int headersEnd = out.indexOf("\r\n\r\n", status.end() - 2); // a response may have no header
            assertThat(headersEnd).as("the end of the headers").isGreaterThanOrEqualTo(0);
            String headers = out.substring(at, headersEnd + 2);
            at = headersEnd + 4;
            if (status.group(1).equals("100")) {
                continue;
            }
            Matcher length = CONTENT_LENGTH.matcher(headers);
            assertThat(length.find()).as("Content-Length in %s", headers).isTrue();
            int bodyLength = Integer.parseInt(length.group(1));
            if (at < out.length() && !out.startsWith("HTTP/1.", at)) {
                assertThat(out.length() - at).as("body of %s", headers).isGreaterThanOrEqualTo(bodyLength);
                at += bodyLength;
            }
            if (CLOSE.matcher(headers).find()) {
                assertThat(out.substring(at)).as("written after a response that said close").isEmpty();
                assertThat(open).as("open after a response that said close").isFalse();
            }
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
