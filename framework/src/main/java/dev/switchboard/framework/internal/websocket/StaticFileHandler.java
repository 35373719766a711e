package dev.switchboard.framework.internal.websocket;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.regex.Pattern;

/**
 * Answers every HTTP request of the WebSocket listener that is not a handshake: a {@link StaticFiles} file for
 * {@code GET} and {@code HEAD}, 304 when the browser's copy is current, 404 for any other path, 400 for a path
 * with {@code ..}, a backslash, a NUL or a bad escape, 405 for other methods. Each answer is whole and from memory;
 * a peer that pipelines requests without reading answers meets the slow-consumer guard. Immutable and
 * {@link Sharable}: one per server.
 */
@Sharable
public final class StaticFileHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** Host header values put into the Content-Security-Policy; anything else leaves the explicit ws source out. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]{1,253}(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]{2,45}\\](:[0-9]{1,5})?");

    private final StaticFiles files;
    private final boolean tls;

    public StaticFileHandler(StaticFiles files, boolean tls) {
        this.files = files;
        this.tls = tls;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean head = HttpAnswers.isHead(request);
        if (!request.decoderResult().isSuccess()) {
            HttpAnswers.send(ctx, request, HttpAnswers.text(HttpResponseStatus.BAD_REQUEST, "bad request", head),
                    true);
            return;
        }
        if (!HttpMethod.GET.equals(request.method()) && !head) {
            FullHttpResponse response = HttpAnswers.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    request.method().name() + " not allowed", false);
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            HttpAnswers.send(ctx, request, response, false);
            return;
        }
        String path = path(request.uri());
        if (path == null) {
            HttpAnswers.send(ctx, request, HttpAnswers.text(HttpResponseStatus.BAD_REQUEST, "bad path", head), false);
            return;
        }
        StaticFiles.File file = files.find(path);
        if (file == null) {
            HttpAnswers.send(ctx, request, HttpAnswers.text(HttpResponseStatus.NOT_FOUND, "not found", head), false);
            return;
        }
        boolean current = file.etag().equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH));
        FullHttpResponse response;
        if (current) {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED,
                    Unpooled.EMPTY_BUFFER);
        } else {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(file.body()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, file.contentType());
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, file.body().length);
        }
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.ETAG, file.etag());
        headers.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Content-Security-Policy", policy(request.headers().get(HttpHeaderNames.HOST)));
        HttpAnswers.send(ctx, request, response, false);
    }

    /**
     * The decoded path of a request URI, or null when it is not one a file could have: not absolute, a bad escape,
     * a {@code ..} or {@code .} segment, a backslash or a control character (after decoding, so {@code %2e%2e} is
     * {@code ..} too).
     */
    static String path(String uri) {
        String path;
        try {
            path = new QueryStringDecoder(uri).path();
        } catch (IllegalArgumentException badEscape) {
            return null;
        }
        if (!path.startsWith("/") || path.indexOf('\\') >= 0 || path.contains("//")) {
            return null;
        }
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) < 0x20 || path.charAt(i) == 0x7f) {
                return null;
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return null;
            }
        }
        return path;
    }

    /**
     * Everything from the page's own origin, nothing inline, WebSocket connections to this listener, no framing.
     * The WebSocket source is spelled out ({@code 'self'} covers {@code ws:} only in newer browsers) when the Host
     * header is a plain host name or address.
     */
    private String policy(String host) {
        String socket = host != null && HOST.matcher(host).matches() ? " " + (tls ? "wss://" : "ws://") + host : "";
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self';"
                + " connect-src 'self'" + socket + "; object-src 'none'; base-uri 'none'; form-action 'self';"
                + " frame-ancestors 'none'";
    }
}
