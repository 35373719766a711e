package dev.switchboard.im.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.testing.WebSocketTestClient;
import dev.switchboard.framework.testing.WireCodec;
import dev.switchboard.framework.wire.DefaultWireFormat;
import dev.switchboard.im.protocol.LoginResponse;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.testing.ChatClient;
import dev.switchboard.im.testing.RawConnection;
import dev.switchboard.im.testing.RunningServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web listener ({@code server --web-port}): a WebSocket client, as the browser's page would be, logs in with
 * version-2 JSON frames over {@code /ws} and chats with a TCP client; other origins are refused; {@code GET /} is
 * the web client's page.
 */
class WebSocketEndToEndTest {

    private static final int V2 = 2;
    private static final int JSON = 1;
    private static final String ALSO_ALLOWED = "https://chat.example.com";
    private static final WireCodec CODEC = WireCodec.scan(new DefaultWireFormat(), "dev.switchboard.im.protocol");

    @RegisterExtension
    final RunningServer server = new RunningServer(ImServerSettings.forTests()
            .withWeb(new WebSettings(0, List.of(ALSO_ALLOWED))));

    private WebSocketTestClient browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** Connects as the page served by the web listener would: from the listener's own origin. */
    private WebSocketTestClient page(String origin) throws Exception {
        browser = WebSocketTestClient.connect(server.webPort(), WebSettings.SOCKET_PATH, origin, false);
        return browser;
    }

    private String ownOrigin() {
        return "http://127.0.0.1:" + server.webPort();
    }

    /** The next message of this type, skipping others (presence notices and the like). */
    private static <T> T next(WebSocketTestClient client, Class<T> type) throws Exception {
        for (int i = 0; i < 20; i++) {
            WireCodec.Received received = CODEC.decode(client.nextBinary());
            assertThat(received.header().version()).as("answered in version 2").isEqualTo(V2);
            if (type.isInstance(received.packet())) {
                return type.cast(received.packet());
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " among 20 messages");
    }

    @Test
    void aWebSocketClientLogsInAndChatsWithATcpClient() throws Exception {
        WebSocketTestClient web = page(ownOrigin());
        assertThat(web.handshakeStatus()).isEqualTo(101);
        // Exactly what a JavaScript client sends: the 11-byte header and a JSON body, in one binary message.
        web.sendBinary(RawConnection.frame(V2, JSON, 1, "{\"userName\":\"webby\",\"password\":\"pw-webby\"}"));
        LoginResponse login = next(web, LoginResponse.class);
        assertThat(login.success()).as(login.reason()).isTrue();
        assertThat(login.token()).isNotBlank();

        try (ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            web.sendBinary(CODEC.bytes(new MessageRequest(null, "hello from a browser", "w1", "bob"), V2, JSON));
            assertThat(next(web, SendAck.class).clientMsgId()).isEqualTo("w1");
            MessageResponse atBob = bob.next(MessageResponse.class);
            assertThat(atBob.fromUserName()).isEqualTo("webby");
            assertThat(atBob.message()).isEqualTo("hello from a browser");

            bob.send(new MessageRequest(login.userId(), "hello from a terminal", "b1", null));
            MessageResponse atWeb = next(web, MessageResponse.class);
            assertThat(atWeb.fromUserName()).isEqualTo("bob");
            assertThat(atWeb.message()).isEqualTo("hello from a terminal");
        }
        assertThat(web.textReceived()).isEmpty();
    }

    @Test
    void pagesOfOtherOriginsAreRefused() throws Exception {
        assertThat(page("https://evil.example").handshakeStatus()).isEqualTo(403);
        browser.close();
        assertThat(page(ALSO_ALLOWED).handshakeStatus()).as("--web-origin").isEqualTo(101);
    }

    @Test
    void aTextMessageIsRefusedWithItsCloseCode() throws Exception {
        WebSocketTestClient web = page(ownOrigin());
        web.sendText("{\"userName\":\"webby\"}");
        assertThat(web.awaitCloseCode()).isEqualTo(1003);
    }

    @Test
    void theRootServesTheWebClient() throws Exception {
        HttpResponse<String> index = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(ownOrigin() + "/")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(index.headers().firstValue("content-security-policy")).hasValueSatisfying(policy ->
                assertThat(policy).contains("connect-src 'self' ws://127.0.0.1:" + server.webPort()));
        assertThat(index.body()).containsIgnoringCase("<!doctype html>").contains("Switchboard");
    }
}
