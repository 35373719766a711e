package dev.switchboard.framework.internal.admin;

import dev.switchboard.framework.AdminRequest;
import dev.switchboard.framework.AdminResponse;
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
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one admin HTTP request at a time per connection: checks the token (unless the route is open), finds the endpoint and runs it on the
 * admin executor, then writes its response from the event loop. Reading pauses while a request is being answered,
 * so a pipelining client cannot queue more than one request per connection. One per connection.
 */
final class AdminRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminRequestHandler.class);

    private final AdminRoutes routes;
    private final byte[] token; // null: none required
    private final Executor endpoints;

    AdminRequestHandler(AdminRoutes routes, byte[] token, Executor endpoints) {
        this.routes = routes;
        this.token = token;
        this.endpoints = endpoints;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            // Headers or request line too long, or not HTTP at all: answer and close, never parse further.
            write(ctx, AdminResponse.status(400, "bad request"), false, false);
            return;
        }
        String method = request.method().name();
        boolean head = "HEAD".equals(method);
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        AdminRoutes.Match match = routes.match(method, uri.path());
        boolean open = match instanceof AdminRoutes.Match.Found found && found.route().open();
        // The token is checked before anything else is told, so that without it no path is revealed.
        if (!open && !authorized(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            write(ctx, AdminResponse.status(401, "a valid admin token is required"), keepAlive, head);
            return;
        }
        if (match instanceof AdminRoutes.Match.Found found) {
            AdminRequest admin = new AdminRequest(method, uri.path(), uri.parameters());
            ctx.channel().config().setAutoRead(false); // one request at a time per connection
            try {
                endpoints.execute(() -> {
                    AdminResponse answer = run(found, admin);
                    ctx.executor().execute(() -> {
                        write(ctx, answer, keepAlive, head);
                        ctx.channel().config().setAutoRead(true);
                    });
                });
            } catch (RejectedExecutionException busy) {
                ctx.channel().config().setAutoRead(true);
                write(ctx, AdminResponse.status(503, "admin busy, retry later"), keepAlive, head);
            }
        } else if (match instanceof AdminRoutes.Match.WrongMethod wrong) {
            FullHttpResponse response = response(AdminResponse.status(405, method + " not allowed"), head);
            response.headers().set(HttpHeaderNames.ALLOW, wrong.allowed());
            send(ctx, response, keepAlive);
        } else {
            write(ctx, AdminResponse.status(404, "no such admin endpoint: " + uri.path()), keepAlive, head);
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

    private static void write(ChannelHandlerContext ctx, AdminResponse answer, boolean keepAlive, boolean head) {
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

    private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
