package dev.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@link WebSocketConfig} accepts, and the start failing on static files that are not there. */
class WebSocketConfigTest {

    @ParameterizedTest
    @CsvSource({
        "https://chat.example.com, https://chat.example.com",
        "HTTPS://Chat.Example.COM, https://chat.example.com",
        "https://chat.example.com:443, https://chat.example.com",
        "http://localhost:80, http://localhost",
        "http://localhost:5173, http://localhost:5173",
        "http://[::1]:8080, http://[::1]:8080",
    })
    void originsAreNormalizedAsBrowsersSendThem(String given, String expected) {
        assertThat(WebSocketConfig.normalizeOrigin(given)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chat.example.com", "*", "https://*.example.com", "https://chat.example.com/",
        "https://chat.example.com/app", "ftp://example.com", "https://user@example.com", "https://example.com?x",
        "null", ""})
    void anythingButAnOriginIsRefusedNamingIt(String origin) {
        assertThatThrownBy(() -> new WebSocketConfig().allowOrigin(origin))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an origin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "/ws?x=1", "/ws#a", "/w s", "/ws\r\n"})
    void aPathMustBeAPlainAbsolutePath(String path) {
        assertThatThrownBy(() -> new WebSocketConfig().path(path)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("WebSocket path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/web", "../web", "web/../..", "web\\x", "a//b", "./web"})
    void staticFilesNeedARelativeDirectory(String root) {
        assertThatThrownBy(() -> new WebSocketConfig().staticFiles(root))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relative classpath directory");
    }

    @Test
    void portsAreChecked() {
        assertThatThrownBy(() -> new WebSocketConfig().port(70_000)).hasMessageContaining("0..65535: 70000");
    }

    @Test
    void staticFilesThatAreNotThereFailTheStartBeforeAnythingBinds() {
        Server server = Switchboard.server(c -> c.scan("dev.switchboard.framework.fixtures.tiny")
                .wireFormat(new dev.switchboard.framework.fixtures.tiny.TinyWireFormat())
                .serializers(new dev.switchboard.framework.fixtures.tiny.TextSerializer()).shutdownHook(false)
                .webSocket(ws -> ws.staticFiles("no-such-web-root")));
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no static files under classpath no-such-web-root/");
        assertThat(server.state()).isEqualTo(Server.State.STOPPED);
    }

    @Test
    void withoutAWebSocketListenerThereIsNoPort() {
        try (Server server = Switchboard.server(c -> c.scan("dev.switchboard.framework.fixtures.tiny")
                .wireFormat(new dev.switchboard.framework.fixtures.tiny.TinyWireFormat())
                .serializers(new dev.switchboard.framework.fixtures.tiny.TextSerializer())
                .host("127.0.0.1").ioThreads(1).shutdownHook(false)).start()) {
            assertThat(server.webSocketPort()).isEmpty();
        }
    }
}
