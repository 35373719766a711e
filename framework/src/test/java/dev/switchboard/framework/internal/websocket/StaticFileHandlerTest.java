package dev.switchboard.framework.internal.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The WebSocket listener's static files: types, headers, index pages, refusals; from test resources webtest/. */
class StaticFileHandlerTest {

    private static final StaticFiles FILES = StaticFiles.load("webtest");

    private final EmbeddedChannel channel = new EmbeddedChannel(new StaticFileHandler(FILES, false));

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    /** Sends one request and returns the answer, whose content the caller must release. */
    private FullHttpResponse request(HttpMethod method, String uri) {
        return request(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri));
    }

    private FullHttpResponse request(FullHttpRequest request) {
        request.headers().set(HttpHeaderNames.HOST, "127.0.0.1:8080");
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        assertThat(response).as("an answer to %s %s", request.method(), request.uri()).isNotNull();
        return response;
    }

    private static String body(FullHttpResponse response) {
        try {
            return response.content().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "/index.html, text/html; charset=utf-8",
        "/js/app.js, text/javascript; charset=utf-8",
        "/css/app.css, text/css; charset=utf-8",
        "/data.json, application/json",
        "/icon.svg, image/svg+xml",
        "/logo.png, image/png",
        "/favicon.ico, image/x-icon",
    })
    void eachFileHasItsContentType(String path, String type) {
        FullHttpResponse response = request(HttpMethod.GET, path);
        try {
            assertThat(response.status().code()).isEqualTo(200);
            assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo(type);
            assertThat(response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH))
                    .isEqualTo(response.content().readableBytes()).isPositive();
        } finally {
            response.release();
        }
    }

    @Test
    void theRootAndDirectoriesServeTheirIndex() {
        assertThat(body(request(HttpMethod.GET, "/"))).contains("<title>test page</title>");
        assertThat(body(request(HttpMethod.GET, "/sub/"))).contains("<title>sub</title>");
        assertThat(body(request(HttpMethod.GET, "/?v=2"))).as("the query is ignored").contains("test page");
    }

    @Test
    void everyFileCarriesTheSafetyHeaders() {
        FullHttpResponse response = request(HttpMethod.GET, "/");
        try {
            assertThat(response.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("no-cache");
            assertThat(response.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.headers().get("Content-Security-Policy"))
                    .contains("default-src 'self'", "script-src 'self'", "connect-src 'self' ws://127.0.0.1:8080",
                            "frame-ancestors 'none'", "object-src 'none'")
                    .doesNotContain("unsafe-inline");
            assertThat(response.headers().get(HttpHeaderNames.ETAG)).startsWith("\"").endsWith("\"");
        } finally {
            response.release();
        }
    }

    @Test
    void withTlsThePolicyNamesWss() {
        EmbeddedChannel tls = new EmbeddedChannel(new StaticFileHandler(FILES, true));
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers().set(HttpHeaderNames.HOST, "chat.example.com");
        tls.writeInbound(request);
        FullHttpResponse response = tls.readOutbound();
        try {
            assertThat(response.headers().get("Content-Security-Policy")).contains("wss://chat.example.com");
        } finally {
            response.release();
            tls.finishAndReleaseAll();
        }
    }

    @Test
    void aHostHeaderThatIsNotAHostStaysOutOfThePolicy() {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers().set(HttpHeaderNames.HOST, "evil; script-src *");
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        try {
            assertThat(response.headers().get("Content-Security-Policy")).doesNotContain("evil");
        } finally {
            response.release();
        }
    }

    @Test
    void headAnswersTheHeadersWithoutTheBody() {
        FullHttpResponse get = request(HttpMethod.GET, "/js/app.js");
        int length = get.content().readableBytes();
        get.release();

        FullHttpResponse head = request(HttpMethod.HEAD, "/js/app.js");
        try {
            assertThat(head.status().code()).isEqualTo(200);
            assertThat(head.content().readableBytes()).isZero();
            assertThat(head.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(length);
        } finally {
            head.release();
        }
    }

    @Test
    void anUnchangedFileIsNotSentAgain() {
        FullHttpResponse first = request(HttpMethod.GET, "/index.html");
        String etag = first.headers().get(HttpHeaderNames.ETAG);
        first.release();

        FullHttpRequest again = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/index.html");
        again.headers().set(HttpHeaderNames.IF_NONE_MATCH, etag);
        FullHttpResponse response = request(again);
        try {
            assertThat(response.status().code()).isEqualTo(304);
            assertThat(response.content().readableBytes()).isZero();
        } finally {
            response.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/missing.html", "/js/", "/js", "/webtest/index.html", "/index.html.bak",
        "/%252e%252e/webtest-secret.txt"})
    void aPathWithNoFileIs404(String path) {
        FullHttpResponse response = request(HttpMethod.GET, path);
        assertThat(response.status().code()).isEqualTo(404);
        assertThat(body(response)).isEqualTo("not found\n");
        assertThat(channel.isOpen()).as("kept alive").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../webtest-secret.txt", "/%2e%2e/webtest-secret.txt", "/sub/%2E%2E/%2e%2e/x",
        "/..%2fwebtest-secret.txt", "/..%5cwebtest-secret.txt", "/sub/..", "/./index.html", "/%00", "/%zz",
        "//etc/passwd", "relative"})
    void aPathThatTriesToLeaveIs400(String path) {
        FullHttpResponse response = request(HttpMethod.GET, path);
        assertThat(response.status().code()).isEqualTo(400);
        response.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
    void onlyGetAndHeadAreAllowed(String method) {
        FullHttpResponse response = request(HttpMethod.valueOf(method), "/index.html");
        assertThat(response.status().code()).isEqualTo(405);
        assertThat(response.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, HEAD");
        response.release();
    }

    @Test
    void connectionCloseIsHonoured() {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        FullHttpResponse response = request(request);
        assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        response.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void keepAliveIsTheDefaultOfHttp11() {
        FullHttpResponse response = request(HttpMethod.GET, "/");
        assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("keep-alive");
        response.release();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aDirectoryWithNoFilesFailsTheLoad() {
        assertThatThrownBy(() -> StaticFiles.load("no/such/dir"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no static files under classpath no/such/dir/");
    }

    @Test
    void onlyTheDirectorysFilesAreLoaded() {
        assertThat(FILES.find("/webtest-secret.txt")).isNull();
        assertThat(FILES.size()).isEqualTo(8);
    }
}
