package dev.switchboard.bench.client;

import dev.switchboard.bench.protocol.WireFrameDecoder;
import dev.switchboard.bench.protocol.WireFrameEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The event loops every {@link BenchClient} of a run shares, and how clients connect. Pipeline per client:
 * ({@code tls} →) {@code frameDecoder} → {@code frameEncoder} → the client's inbound handler. With TLS a connection
 * counts as made once its handshake is done; it trusts any certificate, since the bench only targets servers on
 * this machine (a child server started with {@code --tls-self-signed}).
 */
public final class ClientTransport implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final EventLoopGroup group;
    private final SslContext tls; // null: plaintext

    /** Transport with one event loop thread per core. */
    public ClientTransport() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public ClientTransport(int threads) {
        this(threads, false);
    }

    /** @param tls speak TLS (1.3 or 1.2), trusting any server certificate */
    public ClientTransport(int threads, boolean tls) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads < 1: " + threads);
        }
        this.tls = tls ? trustingAnything() : null;
        group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    }

    private static SslContext trustingAnything() {
        try {
            return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2")
                    .trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS: " + e, e);
        }
    }

    /**
     * Opens a connection.
     *
     * @param server where to connect
     * @param local source address to bind, or {@code null} for the system's choice
     */
    public CompletableFuture<BenchClient> connect(
            InetSocketAddress server, InetSocketAddress local, BenchClientSettings settings, ClientListener listener) {
        return connect(server, local, settings, listener, group);
    }

    /**
     * Opens a connection on a given event loop of this transport, so that a client which reconnects keeps every
     * callback, and the state they touch, on one thread across its connections.
     */
    public CompletableFuture<BenchClient> connect(InetSocketAddress server, InetSocketAddress local,
            BenchClientSettings settings, ClientListener listener, EventLoop loop) {
        if (loop.parent() != group) {
            throw new IllegalArgumentException("event loop " + loop + " does not belong to this transport");
        }
        return connect(server, local, settings, listener, (EventLoopGroup) loop);
    }

    /** One of this transport's event loops, in turn. */
    public EventLoop nextLoop() {
        return group.next();
    }

    private CompletableFuture<BenchClient> connect(InetSocketAddress server, InetSocketAddress local,
            BenchClientSettings settings, ClientListener listener, EventLoopGroup loops) {
        CompletableFuture<BenchClient> result = new CompletableFuture<>();
        BenchClient[] client = new BenchClient[1];
        Bootstrap bootstrap = new Bootstrap()
                .group(loops)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        client[0] = new BenchClient(ch, settings, listener);
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), server.getHostString(),
                                    server.getPort()));
                        }
                        ch.pipeline()
                                .addLast("frameDecoder", new WireFrameDecoder())
                                .addLast("frameEncoder", WireFrameEncoder.INSTANCE)
                                .addLast("client", client[0].inboundHandler());
                    }
                });
        ChannelFuture connect = local == null ? bootstrap.connect(server) : bootstrap.connect(server, local);
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            SslHandler handshake = f.channel().pipeline().get(SslHandler.class);
            Future<Channel> ready = handshake == null ? f.channel().eventLoop().newSucceededFuture(f.channel())
                    : handshake.handshakeFuture();
            ready.addListener(done -> {
                if (done.isSuccess()) {
                    client[0].started();
                    result.complete(client[0]);
                } else {
                    f.channel().close();
                    result.completeExceptionally(done.cause());
                }
            });
        });
        return result;
    }

    /** Runs tasks on the clients' event loops, for continuations that must not grow the caller's stack. */
    public Executor executor() {
        return group;
    }

    /** Stops the event loops, closing any connection still open. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
