package dev.switchboard.framework.internal.websocket;

import dev.switchboard.framework.internal.codec.ChannelLog;
import dev.switchboard.framework.internal.codec.CloseReason;
import dev.switchboard.framework.internal.transport.HostHeader;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Just before Netty's handshake: a request for the WebSocket path must be a well-formed {@code GET} (400, 405
 * otherwise) from an allowed origin (403 otherwise); then it goes on to the handshake. Over a loopback address the
 * listener's own origin counts only when the Host header names the loopback ({@link HostHeader}): a page of a
 * rebound site names itself, and would otherwise pass as same-origin. Requests for other paths pass untouched
 * (static files). A refusal closes the connection and costs the connection's one INFO line. Immutable and
 * {@link Sharable}: one per server.
 */
@Sharable
public final class HandshakeGuard extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HandshakeGuard.class);

    /**
     * Which origins may open a WebSocket.
     *
     * @param path the WebSocket path, matched exactly
     * @param origins allowed origins, normalized ({@code scheme://host[:port]}, lower case, no default port)
     * @param sameOrigin whether the listener's own origin (scheme plus the request's Host) is allowed
     * @param missingOrigin whether a request without an Origin header is allowed
     * @param tls whether the listener serves TLS (its own origin is then https)
     */
    public record Settings(String path, Set<String> origins, boolean sameOrigin, boolean missingOrigin, boolean tls) {
        public Settings {
            origins = Set.copyOf(origins);
        }
    }

    private final Settings settings;

    public HandshakeGuard(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request) || !settings.path().equals(request.uri())) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!request.decoderResult().isSuccess()) {
                refuse(ctx, request, HttpResponseStatus.BAD_REQUEST, "bad request");
            } else if (!HttpMethod.GET.equals(request.method())) {
                FullHttpResponse response = HttpAnswers.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
                        "WebSocket handshakes are GET requests", false);
                response.headers().set(HttpHeaderNames.ALLOW, "GET");
                HttpAnswers.send(ctx, request, response, true);
                request.release();
            } else {
                Verdict verdict = verdict(request, viaLoopback(ctx));
                if (verdict == Verdict.ALLOWED) {
                    ctx.fireChannelRead(msg); // Netty's handshake handler, which releases it
                } else {
                    String origin = request.headers().get(HttpHeaderNames.ORIGIN);
                    ChannelLog.report(log, ctx.channel(), "[{}] refused WebSocket handshake from origin {}{}",
                            ctx.channel().id().asShortText(), origin == null ? "(none)" : printable(origin),
                            verdict == Verdict.HOST_NOT_LOOPBACK ? " (its Host is not a loopback name)" : "");
                    refuse(ctx, request, HttpResponseStatus.FORBIDDEN, verdict == Verdict.HOST_NOT_LOOPBACK
                            ? "origin not allowed: over loopback the Host must be localhost or a loopback address"
                            : "origin not allowed");
                }
            }
        } catch (RuntimeException e) {
            request.release();
            throw e;
        }
    }

    private static void refuse(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
            String message) {
        CloseReason.mark(ctx.channel(), CloseReason.PROTOCOL_ERROR);
        HttpAnswers.send(ctx, request, HttpAnswers.text(status, message, false), true);
        request.release();
    }

    /** What the origin check says of a handshake. */
    enum Verdict {
        ALLOWED,
        ORIGIN_NOT_ALLOWED,
        /** The listener's own origin by name, but a name that is not the loopback the connection came to. */
        HOST_NOT_LOOPBACK
    }

    private static boolean viaLoopback(ChannelHandlerContext ctx) {
        return ctx.channel().localAddress() instanceof InetSocketAddress local
                && local.getAddress() != null && local.getAddress().isLoopbackAddress();
    }

    /**
     * Whether the request's origin may open a WebSocket; {@code viaLoopback}: the connection reached a loopback
     * address of this machine.
     */
    Verdict verdict(FullHttpRequest request, boolean viaLoopback) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return settings.missingOrigin() ? Verdict.ALLOWED : Verdict.ORIGIN_NOT_ALLOWED;
        }
        String normalized = origin.strip().toLowerCase(Locale.ROOT);
        if (settings.origins().contains(normalized)) {
            return Verdict.ALLOWED;
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (!settings.sameOrigin() || host == null) {
            return Verdict.ORIGIN_NOT_ALLOWED;
        }
        String own = (settings.tls() ? "https://" : "http://") + host.strip().toLowerCase(Locale.ROOT);
        if (!normalized.equals(own)) {
            return Verdict.ORIGIN_NOT_ALLOWED;
        }
        return !viaLoopback || HostHeader.namesLoopback(host) ? Verdict.ALLOWED : Verdict.HOST_NOT_LOOPBACK;
    }

    /** A peer's header in a log line: printable ASCII, at most 100 characters. */
    private static String printable(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), 100));
        for (int i = 0; i < value.length() && out.length() < 100; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
