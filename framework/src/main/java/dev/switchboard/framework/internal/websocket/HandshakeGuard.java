package dev.switchboard.framework.internal.websocket;

import dev.switchboard.framework.internal.codec.ChannelLog;
import dev.switchboard.framework.internal.codec.CloseReason;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Just before Netty's handshake: a request for the WebSocket path must be a well-formed {@code GET} (400, 405
 * otherwise) from an allowed origin (403 otherwise); then it goes on to the handshake. Requests for other paths pass
 * untouched (static files). A refusal closes the connection and costs the connection's one INFO line. Immutable and
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
            } else if (!allowed(request)) {
                String origin = request.headers().get(HttpHeaderNames.ORIGIN);
                ChannelLog.report(log, ctx.channel(), "[{}] refused WebSocket handshake from origin {}",
                        ctx.channel().id().asShortText(), origin == null ? "(none)" : printable(origin));
                refuse(ctx, request, HttpResponseStatus.FORBIDDEN, "origin not allowed");
            } else {
                ctx.fireChannelRead(msg); // Netty's handshake handler, which releases it
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

    /** Whether the request's origin may open a WebSocket. */
    boolean allowed(FullHttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return settings.missingOrigin();
        }
        String normalized = origin.strip().toLowerCase(Locale.ROOT);
        if (settings.origins().contains(normalized)) {
            return true;
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        return settings.sameOrigin() && host != null
                && normalized.equals((settings.tls() ? "https://" : "http://") + host.strip().toLowerCase(Locale.ROOT));
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
