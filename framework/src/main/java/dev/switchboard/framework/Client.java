package dev.switchboard.framework;

import com.google.inject.Injector;
import dev.switchboard.framework.ClientConfig.ServerAddress;
import dev.switchboard.framework.internal.scan.ProtocolScanner;
import dev.switchboard.framework.internal.codec.PacketType;
import dev.switchboard.framework.internal.transport.ChannelConnection;
import dev.switchboard.framework.internal.transport.PendingReplies;
import dev.switchboard.framework.internal.transport.PipelineNames;
import dev.switchboard.framework.internal.transport.TlsEndpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A protocol client: the same scan, codecs and dispatch as the server, so {@link Handles} methods receive what
 * the server pushes. Reconnects with exponential backoff unless disabled; {@link ClientConfig#onConnect} runs on
 * every connect, to log in again.
 *
 * <p>Replies: {@link #request} registers the expected reply class before writing; the next packet of that class
 * completes the oldest such request (a server that answers each connection in order makes this exact), and an
 * {@link ErrorReply} naming the request's command fails it with a {@link RequestFailedException}. A matched reply
 * is not dispatched to handlers.
 */
public final class Client implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Client.class);

    private final ClientConfig config;
    private final PendingReplies pending = new PendingReplies();
    private final Object lock = new Object();
    private Wiring wiring;
    private EventLoopGroup group;
    private ThreadPoolExecutor business;
    private Bootstrap bootstrap;
    private ClientPipeline pipeline;
    private TlsEndpoint tls; // null: plaintext
    private volatile Channel channel;
    private volatile boolean closed;
    private final AtomicInteger attempts = new AtomicInteger(); // touched by event loops and the connecting thread
    private final List<ServerAddress> servers;
    /** Index in {@link #servers} of the server connected to, or to try next. */
    private final AtomicInteger current = new AtomicInteger();

    Client(ClientConfig config) {
        this.config = config;
        this.servers = config.servers();
    }

    /**
     * Wires the client and connects, waiting for the first connection (with TLS, until the handshake is done).
     *
     * @throws IOException if the first connection or its TLS handshake fails (no reconnect is attempted then)
     * @throws IllegalArgumentException if the TLS trust file cannot be used (the message names it)
     */
    public Client connect() throws IOException {
        synchronized (lock) {
            if (wiring != null || closed) {
                throw new IllegalStateException("client already connected or closed");
            }
            if (config.port < 0) {
                throw new IllegalStateException("no port configured");
            }
            String server = config.host + ":" + config.port;
            tls = config.tls == null ? null : config.tls.load(config.connectTimeout, server);
            wiring = Wiring.build(config, ProtocolScanner.Side.CLIENT);
            group = new MultiThreadIoEventLoopGroup(Math.max(1, config.ioThreads), NioIoHandler.newFactory());
            business = Wiring.businessExecutor(config, "client");
            pipeline = new ClientPipeline(config, wiring, business, pending, tls);
            bootstrap = newBootstrap();
        }
        IOException failure = null;
        for (int i = 0; i < servers.size(); i++) {
            ServerAddress server = servers.get(i);
            try {
                Channel ch = connectTo(server);
                current.set(i);
                connected(ch);
                return this;
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        close();
        throw failure;
    }

    /** The first connection to one server, waiting for it (and its TLS handshake). */
    private Channel connectTo(ServerAddress server) throws IOException {
        ChannelFuture first = bootstrap(server).connect().awaitUninterruptibly();
        if (!first.isSuccess()) {
            throw new IOException("cannot connect to " + server, first.cause());
        }
        Future<Channel> ready = ready(first.channel()).awaitUninterruptibly(); // bounded by the handshake timeout
        if (!ready.isSuccess()) {
            first.channel().close();
            throw new IOException("TLS handshake with " + server + " failed: " + ready.cause().getMessage(),
                    ready.cause());
        }
        return first.channel();
    }

    /** Completes when {@code ch} can carry packets: at once in plaintext, after the handshake with TLS. */
    private Future<Channel> ready(Channel ch) {
        if (tls == null) {
            return ch.eventLoop().newSucceededFuture(ch);
        }
        SslHandler handler = (SslHandler) ch.pipeline().get(PipelineNames.TLS);
        if (handler == null) {
            // The peer closed so fast (a plaintext server refusing the ClientHello) that the pipeline is gone.
            return ch.eventLoop().newFailedFuture(new SSLException("connection closed before the TLS handshake"));
        }
        return handler.handshakeFuture();
    }

    private Bootstrap newBootstrap() {
        return new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout.toMillis());
    }

    /** The bootstrap for one connection to {@code server}. */
    private Bootstrap bootstrap(ServerAddress server) {
        return bootstrap.clone().remoteAddress(server.host(), server.port())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline.init(ch, server);
                    }
                });
    }

    private void connected(Channel ch) {
        attempts.set(0);
        channel = ch;
        if (closed) {
            // close() ran while this connection was being made and may have missed it: it must not survive.
            ch.close();
            return;
        }
        ChannelConnection connection = ChannelConnection.of(ch);
        ch.closeFuture().addListener(f -> {
            safely("onDisconnect", () -> config.onDisconnect.accept(connection));
            scheduleReconnect();
        });
        ch.eventLoop().execute(() -> safely("onConnect", () -> config.onConnect.accept(connection)));
    }

    private void scheduleReconnect() {
        if (closed || !config.reconnect) {
            return;
        }
        long min = config.reconnectMin.toMillis();
        long max = config.reconnectMax.toMillis();
        long base = Math.min(max, min << Math.min(attempts.getAndIncrement(), 20));
        long delay = Math.max(1, base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
        log.info("connection to {} lost; reconnecting in {} ms", servers.get(current.get()), delay);
        try {
            group.schedule(this::reconnect, delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException shuttingDown) {
            log.debug("not reconnecting: {}", shuttingDown.toString());
        }
    }

    private void reconnect() {
        if (closed) {
            return;
        }
        ServerAddress server = servers.get(current.get());
        bootstrap(server).connect().addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                nextServer();
                scheduleReconnect();
                return;
            }
            ready(f.channel()).addListener(handshake -> {
                if (closed) {
                    f.channel().close();
                } else if (handshake.isSuccess()) {
                    log.info("reconnected to {}", server);
                    connected(f.channel());
                } else {
                    log.debug("TLS handshake with {} failed: {}", server, handshake.cause().getMessage());
                    f.channel().close(); // its close listener is not set yet: schedule here
                    nextServer();
                    scheduleReconnect();
                }
            });
        });
    }

    /** After a failed attempt: the next server of the list (the same one if there is only one). */
    private void nextServer() {
        current.updateAndGet(i -> (i + 1) % servers.size());
    }

    /** The server this client is connected to, or will try next. */
    public String server() {
        return servers.get(current.get()).toString();
    }

    private static void safely(String what, Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.warn("client {} callback failed", what, e);
        }
    }

    /** The current connection, if connected. */
    public Optional<Connection> connection() {
        Channel current = channel;
        return current != null && current.isActive() ? Optional.of(ChannelConnection.of(current))
                : Optional.empty();
    }

    /** Whether a connection is up now. */
    public boolean isConnected() {
        Channel current = channel;
        return current != null && current.isActive();
    }

    /**
     * Sends a packet; completes when it is written, or fails if not connected. The same future type as
     * {@link #request}, so callers compose both alike.
     */
    public CompletableFuture<Void> send(Object packet) {
        Channel current = channel;
        if (current == null || !current.isActive()) {
            return CompletableFuture.failedFuture(new IOException("not connected"));
        }
        return ChannelConnection.of(current).send(packet).toCompletableFuture();
    }

    /** Sends a request and completes with its reply, within the configured request timeout. */
    public <R> CompletableFuture<R> request(Object packet, Class<R> replyType) {
        return request(packet, replyType, config.requestTimeout);
    }

    /** Sends a request and completes with its reply of type {@code replyType}, or fails after {@code timeout}. */
    public <R> CompletableFuture<R> request(Object packet, Class<R> replyType, java.time.Duration timeout) {
        PacketType type = wiring == null ? null : wiring.registry.byClass(packet.getClass());
        if (type == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    packet.getClass().getName() + " is not a scanned @Command packet"));
        }
        CompletableFuture<Object> reply = pending.expect(type.code(), replyType);
        reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        send(packet).whenComplete((ok, error) -> {
            if (error != null) {
                reply.completeExceptionally(error);
            }
        });
        CompletableFuture<R> result = reply.thenApply(replyType::cast);
        result.whenComplete((value, error) -> {
            if (result.isCancelled()) {
                reply.cancel(false); // stop waiting for the reply
            }
        });
        return result;
    }

    /** The injector the client's handlers came from; tests reach it through the test-jar's {@code TestAccess}. */
    Injector injector() {
        return wiring.injector;
    }

    /** Closes the connection and stops reconnecting. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Channel current = channel;
        // Called from a handler or callback on the event loop, close() must not wait for that loop.
        boolean onEventLoop = current != null && current.eventLoop().inEventLoop();
        if (current != null) {
            ChannelFuture closing = current.close();
            if (!onEventLoop) {
                closing.awaitUninterruptibly(2_000);
            }
        }
        if (business != null) {
            business.shutdown();
            if (!onEventLoop) {
                Server.awaitTermination(business, 2_000);
            }
        }
        if (group != null) {
            var terminated = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            if (!onEventLoop) {
                terminated.awaitUninterruptibly(3_000);
            }
        }
    }
}
