package dev.switchboard.bench.baseline;

import dev.switchboard.bench.protocol.WireFrameDecoder;
import dev.switchboard.bench.protocol.WireFrameEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The "what would a good hand-written Netty server do" yardstick: the IM protocol's login, direct and group
 * messages, heartbeats and stats, with plain Netty and fastjson2. No framework, no dependency injection, no store,
 * no password hashing; messages to users with no open connection are dropped (there is no offline store).
 *
 * <p>Pipeline, in order: {@value #IDLE} (closes a connection silent for the idle timeout) → {@value #DECODER} →
 * {@value #ENCODER} → {@value #HANDLER} (one {@link RelayHandler} per connection).
 *
 * <pre>{@code
 * try (BaselineRelayServer relay = new BaselineRelayServer().start("127.0.0.1", 0)) {
 *     connect to relay.port() ...
 * }
 * }</pre>
 */
public final class BaselineRelayServer implements AutoCloseable {

    /** Handler names, in pipeline order. */
    public static final String IDLE = "idle";
    public static final String DECODER = "frameDecoder";
    public static final String ENCODER = "frameEncoder";
    public static final String HANDLER = "relay";

    /** The line printed by {@link #main} once the port is bound; {@code HOST:PORT} follows it. */
    public static final String READY_PREFIX = "Baseline relay ready on ";

    private final int workerThreads;
    private final Duration idleTimeout;
    private final RelayDirectory directory = new RelayDirectory();
    private final AtomicInteger openConnections = new AtomicInteger();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;
    private RelayAdmin admin; // null unless started

    /** A relay with one worker thread per core and the IM server's 15 s idle timeout. */
    public BaselineRelayServer() {
        this(Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(15));
    }

    public BaselineRelayServer(int workerThreads, Duration idleTimeout) {
        if (workerThreads < 1) {
            throw new IllegalArgumentException("workerThreads < 1: " + workerThreads);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
        }
        this.workerThreads = workerThreads;
        this.idleTimeout = idleTimeout;
    }

    /** Binds {@code host:port} ({@code port} 0 picks a free port) and returns once listening. */
    public synchronized BaselineRelayServer start(String host, int port) throws InterruptedException {
        if (serverChannel != null) {
            throw new IllegalStateException("already started on port " + port());
        }
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(workerThreads, NioIoHandler.newFactory());
        long idleMillis = idleTimeout.toMillis();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(IDLE, new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS))
                                .addLast(DECODER, new WireFrameDecoder())
                                .addLast(ENCODER, WireFrameEncoder.INSTANCE)
                                .addLast(HANDLER, new RelayHandler(directory, openConnections));
                    }
                });
        try {
            serverChannel = bootstrap.bind(host, port).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
        return this;
    }

    /** The bound port. */
    public int port() {
        if (serverChannel == null) {
            throw new IllegalStateException("not started");
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Starts the admin port on {@code host:port} (0 for a free one): {@code GET /stats} and {@code POST /gc}, as the
     * IM server's admin listener answers them. Returns the bound port.
     */
    public synchronized int startAdmin(String host, int port) throws IOException {
        if (admin != null) {
            throw new IllegalStateException("admin already started on port " + admin.port());
        }
        admin = RelayAdmin.start(host, port, openConnections::get, directory::onlineUsers);
        return admin.port();
    }

    /** Open client connections. */
    public int connections() {
        return openConnections.get();
    }

    /** Closes the listening socket and every connection, and stops the threads. Idempotent. */
    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            boss.terminationFuture().syncUninterruptibly();
            workers.terminationFuture().syncUninterruptibly();
            boss = null;
            workers = null;
        }
    }

    /**
     * Runs the relay as its own process: {@code [--host HOST] [--port PORT] [--admin-port PORT]} (defaults
     * 127.0.0.1, 0 and no admin port), printing {@value #READY_PREFIX}{@code HOST:PORT} (and
     * {@code admin on HOST:PORT}) once bound, until the process is stopped.
     */
    public static void main(String[] args) throws InterruptedException, IOException {
        String host = "127.0.0.1";
        int port = 0;
        Integer adminPort = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--admin-port" -> adminPort = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: BaselineRelayServer [--host HOST] [--port PORT] [--admin-port PORT]");
            }
        }
        BaselineRelayServer relay = new BaselineRelayServer().start(host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(relay::close, "baseline-relay-shutdown"));
        String admin = adminPort == null ? "" : " admin on " + host + ":" + relay.startAdmin(host, adminPort);
        System.out.println(READY_PREFIX + host + ":" + relay.port() + admin);
        System.out.flush();
        Channel channel;
        synchronized (relay) {
            channel = relay.serverChannel;
        }
        if (channel != null) {
            channel.closeFuture().sync();
        }
    }
}
