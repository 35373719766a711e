package dev.switchboard.framework.internal.admin;

import dev.switchboard.framework.AdminRequest;
import dev.switchboard.framework.AdminResponse;
import dev.switchboard.framework.internal.transport.HostHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a connection's admin HTTP requests one at a time, in order: refuses what a browser sends for a web page
 * (an Origin, or over loopback a Host that is not a loopback name), checks the token (unless the route is open),
 * finds the endpoint and runs it on the admin executor, then writes its response from the event loop. Requests read
 * while one is being answered (HTTP/1.1 pipelining: one read can hold many) wait in the connection's queue, at most
 * {@link #MAX_WAITING}; past that, later ones are dropped and the connection closes after answering those it took.
 * Reading pauses while a request is being answered. One per connection.
 */
final class AdminRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminRequestHandler.class);

    /** Requests one connection may have waiting behind the one being answered. */
    static final int MAX_WAITING = 16;

    /** Where the connection is: answering requests as they come, waiting for an endpoint, or done. */
    private enum State {
        IDLE,
        ANSWERING,
        CLOSED
    }

    /**
     * Whether requests are still taken: {@code FULL} once one more than {@link #MAX_WAITING} was pipelined behind
     * the one being answered; that one and any later are dropped, and the connection closes after the last answer
     * to those it took.
     */
    private enum Intake {
        OPEN,
        FULL
    }

    private final AdminRoutes routes;
    private final byte[] token; // null: none required
    private final Executor endpoints;
    private final boolean viaLoopback; // the connection reached a loopback address: see loopbackHost
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private State state = State.IDLE;
    private Intake intake = Intake.OPEN;

    AdminRequestHandler(AdminRoutes routes, byte[] token, Executor endpoints, boolean viaLoopback) {
        this.routes = routes;
        this.token = token;
        this.endpoints = endpoints;
        this.viaLoopback = viaLoopback;
    }

    /**
     * Whether a request of this connection is with the admin thread (running or queued there): then
     * {@link ConnectionCap} does not close it to make room. Called on the connection's event loop.
     */
    boolean answering() {
        return state == State.ANSWERING;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (intake == Intake.FULL) {
            return; // pipelined past the limit: not answered
        }
        switch (state) {
            case IDLE -> answer(ctx, request);
            case ANSWERING -> {
                if (waiting.size() == MAX_WAITING) {
                    intake = Intake.FULL;
                } else {
                    waiting.add(request.retain());
                }
            }
            case CLOSED -> { } // read in the same batch as the request that closed the connection: not answered
        }
    }

    /** Answers the requests that waited while an endpoint ran, until one needs an endpoint again. */
    private void answerWaiting(ChannelHandlerContext ctx) {
        while (state == State.IDLE && !waiting.isEmpty()) {
            FullHttpRequest next = waiting.poll();
            try {
                answer(ctx, next);
            } finally {
                next.release();
            }
        }
        if (state == State.IDLE) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void answer(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            // Headers or request line too long, or not HTTP at all: answer and close, never parse further.
            write(ctx, AdminResponse.status(400, "bad request"), false, false);
            return;
        }
        String method = request.method().name();
        boolean head = "HEAD".equals(method);
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path;
        Map<String, List<String>> parameters;
        try {
            path = uri.path();
            parameters = uri.parameters();
        } catch (IllegalArgumentException malformed) { // "%zz", a "%" at the end: Netty decodes lazily and throws
            write(ctx, AdminResponse.status(400, "malformed percent-escape in the path or query"), false, head);
            return;
        }
        // A web page can make a browser send a POST here (a form, or fetch in no-cors mode) without any preflight,
        // and with no token configured a loopback port would run it (POST /drain). Browsers name the page's
        // origin on such requests; the tools this port is for (curl, scrapers, probes) send none.
        if (request.headers().contains(HttpHeaderNames.ORIGIN)) {
            write(ctx, AdminResponse.status(403, "admin requests from web pages are refused"), keepAlive, head);
            return;
        }
        // A page of a site whose name it re-points at 127.0.0.1 (DNS rebinding) makes same-origin GETs here, which
        // carry no Origin; they name that site as their Host, where any local tool names localhost or the address.
        if (viaLoopback && !loopbackHost(request.headers().get(HttpHeaderNames.HOST))) {
            write(ctx, AdminResponse.status(403, "the Host header must be localhost or a loopback address"),
                    keepAlive, head);
            return;
        }
        AdminRoutes.Match match = routes.match(method, path);
        boolean open = match instanceof AdminRoutes.Match.Found found && found.route().open();
        // The token is checked before anything else is told, so that without it no path is revealed.
        if (!open && !authorized(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            write(ctx, AdminResponse.status(401, "a valid admin token is required"), keepAlive, head);
            return;
        }
        if (match instanceof AdminRoutes.Match.Found found) {
            AdminRequest admin = new AdminRequest(method, path, parameters);
            try {
                // The answer is handed back to this event loop, so it runs after the state below is set.
                endpoints.execute(() -> {
                    AdminResponse answer = run(found, admin);
                    ctx.executor().execute(() -> {
                        if (state != State.ANSWERING) {
                            return; // closed meanwhile
                        }
                        state = State.IDLE;
                        write(ctx, answer, keepAlive, head);
                        answerWaiting(ctx);
                    });
                });
            } catch (RejectedExecutionException busy) {
                write(ctx, AdminResponse.status(503, "admin busy, retry later"), keepAlive, head);
                return;
            }
            state = State.ANSWERING;
            ctx.channel().config().setAutoRead(false); // one request at a time per connection
        } else if (match instanceof AdminRoutes.Match.WrongMethod wrong) {
            FullHttpResponse response = response(AdminResponse.status(405, method + " not allowed"), head);
            response.headers().set(HttpHeaderNames.ALLOW, wrong.allowed());
            send(ctx, response, keepAlive);
        } else {
            write(ctx, AdminResponse.status(404, "no such admin endpoint: " + path), keepAlive, head);
        }
    }

    private static AdminResponse run(AdminRoutes.Match.Found found, AdminRequest request) {
        try {
            return found.route().endpoint().handle(request);
        } catch (Exception | LinkageError e) {
            log.warn("admin endpoint {} {} failed", request.method(), request.path(), e);
            return AdminResponse.status(500, "endpoint failed: " + e.getClass().getSimpleName());
        }
    }

    /** Whether a Host header names this machine's loopback; no header (an HTTP/1.0 tool) is let through. */
    static boolean loopbackHost(String host) {
        return host == null || HostHeader.namesLoopback(host);
    }

    /** Compares in constant time, so the reply's timing says nothing about how much of a guess was right. */
    private boolean authorized(String authorization) {
        if (token == null) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(token, authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }

    private void write(ChannelHandlerContext ctx, AdminResponse answer, boolean keepAlive, boolean head) {
        send(ctx, response(answer, head), keepAlive);
    }

    private static FullHttpResponse response(AdminResponse answer, boolean head) {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (answer.status() == 401) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        return response;
    }

    private void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive && !(intake == Intake.FULL && waiting.isEmpty())) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            state = State.CLOSED;
            releaseWaiting();
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void releaseWaiting() {
        for (FullHttpRequest request; (request = waiting.poll()) != null; ) {
            request.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        state = State.CLOSED;
        releaseWaiting();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseWaiting();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
