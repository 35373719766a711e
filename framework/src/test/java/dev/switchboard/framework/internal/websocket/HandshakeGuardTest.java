package dev.switchboard.framework.internal.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.internal.websocket.HandshakeGuard.Verdict;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The origin check by itself: allowed origins pass whatever the Host, the listener's own origin passes over loopback
 * only under a loopback name (a rebound site names itself), and anywhere else under any name.
 */
class HandshakeGuardTest {

    private static final boolean LOOPBACK = true;
    private static final boolean ELSEWHERE = false;

    private final HandshakeGuard guard = new HandshakeGuard(
            new HandshakeGuard.Settings("/ws", Set.of("https://chat.example.com"), true, true, false));

    private static FullHttpRequest handshake(String host, String origin) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws");
        if (host != null) {
            request.headers().set(HttpHeaderNames.HOST, host);
        }
        if (origin != null) {
            request.headers().set(HttpHeaderNames.ORIGIN, origin);
        }
        return request;
    }

    private Verdict verdict(String host, String origin, boolean viaLoopback) {
        FullHttpRequest request = handshake(host, origin);
        try {
            return guard.verdict(request, viaLoopback);
        } finally {
            request.release();
        }
    }

    @Test
    void theOwnOriginOverLoopbackNeedsALoopbackName() {
        assertThat(verdict("localhost:8080", "http://localhost:8080", LOOPBACK)).isEqualTo(Verdict.ALLOWED);
        assertThat(verdict("127.0.0.1:8080", "http://127.0.0.1:8080", LOOPBACK)).isEqualTo(Verdict.ALLOWED);
        assertThat(verdict("rebound.example:8080", "http://rebound.example:8080", LOOPBACK))
                .isEqualTo(Verdict.HOST_NOT_LOOPBACK);
    }

    @Test
    void elsewhereTheOwnOriginPassesUnderAnyName() {
        assertThat(verdict("chat.internal:8080", "http://chat.internal:8080", ELSEWHERE)).isEqualTo(Verdict.ALLOWED);
        assertThat(verdict("chat.internal:8080", "http://other.internal:8080", ELSEWHERE))
                .isEqualTo(Verdict.ORIGIN_NOT_ALLOWED);
    }

    @Test
    void anAllowedOriginPassesOverLoopbackWhateverTheHost() {
        // A reverse proxy on this machine forwards the public name as the Host; the operator allowed that origin.
        assertThat(verdict("chat.example.com", "https://chat.example.com", LOOPBACK)).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void theRestIsAsBefore() {
        assertThat(verdict("localhost:8080", null, LOOPBACK)).as("a program").isEqualTo(Verdict.ALLOWED);
        assertThat(verdict(null, "http://localhost:8080", LOOPBACK)).as("no Host to be the same as")
                .isEqualTo(Verdict.ORIGIN_NOT_ALLOWED);
        assertThat(verdict("localhost:8080", "https://localhost:8080", LOOPBACK)).as("another scheme")
                .isEqualTo(Verdict.ORIGIN_NOT_ALLOWED);
        assertThat(verdict("localhost:8080", "null", LOOPBACK)).isEqualTo(Verdict.ORIGIN_NOT_ALLOWED);
    }
}
