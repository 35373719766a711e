package dev.switchboard.framework.internal.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP listener: its own event loop and its own endpoint thread, so nothing on it shares a thread with
 * the protocol's connections or its business executor (which hashes passwords). Internal.
 */
public final class AdminListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminListener.class);

    /** Limits that keep the admin port cheap whoever reaches it; see {@link dev.switchboard.framework.AdminConfig}. */
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADERS = 8192;
    static final int MAX_BODY = 8192;
    static final int MAX_CONNECTIONS = 16;
    static final int MAX_WAITING = 16;
    static final int IDLE_SECONDS = 30;

    /**
     * Binds the listener.
     *
     * @param host the address to bind
     * @param port the port, 0 for a free one
     * @param token the bearer token every request needs, or null for none
     * @param routes the endpoints
     */
    public record Settings(String host, int port, String token, AdminRoutes routes) {}

    private final EventLoopGroup loop;
    private final ThreadPoolExecutor endpoints;
    private final Channel channel;
    private final ChannelGroup connections;

    private AdminListener(EventLoopGroup loop, ThreadPoolExecutor endpoints, Channel channel,
            ChannelGroup connections) {
        this.loop = loop;
        this.endpoints = endpoints;
        this.channel = channel;
        this.connections = connections;
    }

    /** Binds and starts answering; throws if the address cannot be bound (nothing is left running). */
    public static AdminListener start(Settings settings) throws InterruptedException {
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ThreadPoolExecutor endpoints = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_WAITING), runnable -> {
                    Thread thread = new Thread(runnable, "switchboard-admin");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        byte[] token = settings.token() == null ? null : settings.token().getBytes(StandardCharsets.UTF_8);
        ConnectionCap cap = new ConnectionCap(MAX_CONNECTIONS);
        ChannelGroup connections = new DefaultChannelGroup("switchboard-admin", loop.next());
        try {
            Channel channel = new ServerBootstrap()
                    .group(loop)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            connections.add(ch);
                            boolean viaLoopback = ch.localAddress().getAddress().isLoopbackAddress();
                            addHandlers(ch.pipeline(), cap, settings.routes(), token, endpoints, viaLoopback);
                        }
                    })
                    .bind(new InetSocketAddress(settings.host(), settings.port())).sync().channel();
            AdminListener listener = new AdminListener(loop, endpoints, channel, connections);
            boolean local = ((InetSocketAddress) channel.localAddress()).getAddress().isLoopbackAddress();
            if (!local && token == null) {
                log.warn("admin listener on {} is reachable from other machines and needs no token",
                        channel.localAddress());
            } else {
                log.info("admin listener on {}{}", channel.localAddress(), token == null ? "" : " (token required)");
            }
            return listener;
        } catch (RuntimeException | InterruptedException e) {
            endpoints.shutdownNow();
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * One admin connection's handlers, in order; the fuzz target drives the same pipeline. {@code viaLoopback}: the
     * connection reached a loopback address of this machine, so its requests must name one as their Host.
     */
    static void addHandlers(ChannelPipeline pipeline, ConnectionCap cap, AdminRoutes routes, byte[] token,
            Executor endpoints, boolean viaLoopback) {
        pipeline.addLast(cap)
                .addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                .addLast(new IdleClose())
                .addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, MAX_BODY))
                .addLast(new HttpObjectAggregator(MAX_BODY))
                .addLast(new AdminRequestHandler(routes, token, endpoints, viaLoopback));
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Stops accepting, lets the endpoint running finish (a second at most) and its response go out, then closes
     * the connections, lets their handlers see the close, and stops the loop; idempotent. The response matters:
     * {@code POST /drain} is answered while the drain it started may already be closing this listener.
     */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        endpoints.shutdown();
        try {
            if (!endpoints.awaitTermination(1, TimeUnit.SECONDS)) {
                endpoints.shutdownNow();
            }
        } catch (InterruptedException e) {
            endpoints.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (!loop.isShuttingDown()) {
            // The finished endpoints queued their responses on the loop, so those writes run before the closes
            // queued here. Closed here, not left to the loop's shutdown: closed that way, a connection holding half
            // a request now and then never released its HTTP decoder's buffer (2 leaks in 60 closes with 17 such
            // connections, none after). The close queues their channelInactive, which releases it, ahead of the task
            // below.
            connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
            loop.submit(() -> { }).awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    /** Closes a connection with no traffic either way for {@link #IDLE_SECONDS}. */
    private static final class IdleClose extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent) {
                ctx.close();
            } else {
                super.userEventTriggered(ctx, event);
            }
        }
    }
}
