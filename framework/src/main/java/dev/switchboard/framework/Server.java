package dev.switchboard.framework;

import com.google.inject.Injector;
import dev.switchboard.framework.internal.scan.ProtocolScanner;
import dev.switchboard.framework.internal.admin.AdminListener;
import dev.switchboard.framework.internal.admin.AdminRoutes;
import dev.switchboard.framework.internal.codec.CloseReason;
import dev.switchboard.framework.internal.metrics.ServerMetrics;
import dev.switchboard.framework.internal.transport.ConnectionTracker;
import dev.switchboard.framework.internal.transport.SourceLimits;
import dev.switchboard.framework.internal.transport.TlsEndpoint;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running (or ready to run) protocol server. Created by {@link Switchboard#server}; {@link #start()} scans,
 * wires, starts the services and binds; {@link #close()} shuts down gracefully and is idempotent.
 *
 * <pre>{@code
 * try (Server server = Switchboard.server(c -> c.scan("com.example.chat").port(0)).start()) {
 *     int port = server.port();
 * }
 * }</pre>
 */
public final class Server implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Server.class);

    private final ServerConfig config;
    private final Object lock = new Object();
    private Wiring wiring;
    private List<Service> started = List.of();
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private ThreadPoolExecutor business;
    private ChannelGroup channels;
    private ConnectionTracker tracker;
    private Channel serverChannel;
    private AdminListener admin; // null unless configured
    private ServerMetrics metrics; // null unless a registry is configured
    private Thread shutdownHook;
    private boolean closed;
    private volatile boolean stopping;

    Server(ServerConfig config) {
        this.config = config;
    }

    /**
     * Scans, builds the injector and dispatch table, starts the services and binds the port.
     *
     * @throws InvalidProtocolException if the scanned classes are not a valid protocol (nothing is bound)
     * @throws IllegalStateException if already started or closed
     */
    public Server start() {
        synchronized (lock) {
            if (wiring != null || closed) {
                throw new IllegalStateException("server already started or closed");
            }
            long begin = System.nanoTime();
            // Before anything starts: a certificate that cannot be used fails the start, naming the file.
            TlsEndpoint tls = config.tls == null ? null : config.tls.load(config.handshakeTimeout());
            wiring = Wiring.build(config, ProtocolScanner.Side.SERVER);
            started = startServices(wiring.services());
            try {
                bind(tls);
            } catch (Exception e) {
                // Not only RuntimeException: ChannelFuture.sync() rethrows the bind's checked BindException as is.
                throw failedStart("cannot bind " + config.host + ":" + config.port, e);
            }
            if (config.admin != null) {
                try {
                    startAdmin();
                } catch (Exception e) {
                    throw failedStart("cannot start the admin listener on " + config.admin.host + ":"
                            + config.admin.port, e);
                }
            }
            if (config.shutdownHook) {
                shutdownHook = new Thread(this::close, "switchboard-shutdown");
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
            log.info("server listening on {}{} in {} ms", serverChannel.localAddress(),
                    tls == null ? "" : " (" + tls + ")", (System.nanoTime() - begin) / 1_000_000);
            return this;
        }
    }

    /** Undoes a start that failed part way (the lock held): everything started is stopped, the server is closed. */
    private IllegalStateException failedStart(String what, Exception cause) {
        closed = true;
        shutdown();
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException(what + ": " + cause, cause);
    }

    private static List<Service> startServices(List<Service> services) {
        List<Service> running = new ArrayList<>();
        for (Service service : services) {
            try {
                service.start();
                running.add(service);
            } catch (Exception e) {
                stopServices(running);
                throw new IllegalStateException("service " + service + " failed to start: " + e, e);
            }
        }
        return running;
    }

    private static void stopServices(List<Service> running) {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).stop();
            } catch (RuntimeException e) {
                log.warn("service {} failed to stop", running.get(i), e);
            }
        }
    }

    private void bind(TlsEndpoint tls) throws InterruptedException {
        bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        int ioThreads = config.ioThreads > 0 ? config.ioThreads : Runtime.getRuntime().availableProcessors();
        workerGroup = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
        business = Wiring.businessExecutor(config, "server");
        channels = new DefaultChannelGroup("switchboard", GlobalEventExecutor.INSTANCE);
        metrics = wiring.metrics(config);
        tracker = new ConnectionTracker(channels, config.maxConnections,
                new SourceLimits(new SourceLimits.Settings(config.maxConnectionsPerSource,
                        config.connectionsPerSecondPerSource, config.connectionBurstPerSource)),
                Wiring.create(config.listeners, wiring.injector), metrics);
        if (metrics != null) {
            metrics.watch(tracker::openConnections, channels, business);
        }
        ServerPipeline pipeline = new ServerPipeline(config, wiring, business, tracker, () -> stopping, tls,
                metrics);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.writeBufferLowWaterMark, config.writeBufferHighWaterMark))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        pipeline.init(channel);
                    }
                });
        serverChannel = bootstrap.bind(new InetSocketAddress(config.host, config.port)).sync().channel();
    }

    private void startAdmin() throws InterruptedException {
        Map<String, AdminEndpoint> endpoints = new LinkedHashMap<>();
        config.admin.endpoints.forEach((key, factory) -> endpoints.put(key, factory.apply(wiring.injector)));
        admin = AdminListener.start(new AdminListener.Settings(config.admin.host, config.admin.port,
                config.admin.token, new AdminRoutes(endpoints)));
    }

    /** The bound port. */
    public int port() {
        synchronized (lock) {
            if (serverChannel == null) {
                throw new IllegalStateException("server not started");
            }
            return ((InetSocketAddress) serverChannel.localAddress()).getPort();
        }
    }

    /** The admin listener's bound port, or empty when none is configured. */
    public OptionalInt adminPort() {
        synchronized (lock) {
            if (serverChannel == null) {
                throw new IllegalStateException("server not started");
            }
            return admin == null ? OptionalInt.empty() : OptionalInt.of(admin.port());
        }
    }

    /** The injector the handlers came from; tests reach it through the test-jar's {@code TestAccess}. */
    Injector injector() {
        synchronized (lock) {
            if (wiring == null) {
                throw new IllegalStateException("server not started");
            }
            return wiring.injector;
        }
    }

    /** Connections open now. */
    public int connectionCount() {
        return tracker == null ? 0 : tracker.openConnections();
    }

    /**
     * Shuts down gracefully: stops accepting and reading, lets in-flight handlers finish, stops the services,
     * flushes and closes every connection, then stops the event loops. Each step waits at most the shutdown
     * timeout. Idempotent; also run on SIGTERM unless disabled.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException alreadyShuttingDown) {
                    // The JVM is exiting and runs the hook itself.
                }
            }
            shutdown();
        }
    }

    private void shutdown() {
        long timeoutMs = config.shutdownTimeout.toMillis();
        if (admin != null) {
            admin.close();
        }
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(timeoutMs);
        }
        // From here no handler starts: packets already read, or queued behind a blocking handler, are dropped.
        // (autoRead alone is not enough: a blocking handler finishing turns reading back on for its sequencer.)
        stopping = true;
        if (channels != null) {
            for (Channel channel : channels) {
                channel.eventLoop().execute(() -> channel.config().setAutoRead(false));
            }
        }
        if (business != null) {
            business.shutdown();
            awaitTermination(business, timeoutMs);
        }
        if (workerGroup != null) {
            // The last blocking handlers queued their replies on the event loops: let those writes happen first.
            for (EventExecutor loop : workerGroup) {
                loop.submit(() -> { }).awaitUninterruptibly(timeoutMs);
            }
        }
        stopServices(started);
        started = List.of();
        if (channels != null) {
            for (Channel channel : channels) {
                CloseReason.mark(channel, CloseReason.SERVER_SHUTDOWN);
            }
            channels.writeAndFlush(Unpooled.EMPTY_BUFFER).awaitUninterruptibly(timeoutMs);
            channels.close().awaitUninterruptibly(timeoutMs);
        }
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, timeoutMs, TimeUnit.MILLISECONDS).awaitUninterruptibly(timeoutMs);
        }
        if (workerGroup != null) {
            workerGroup.shutdownGracefully(0, timeoutMs, TimeUnit.MILLISECONDS).awaitUninterruptibly(timeoutMs);
        }
        if (metrics != null) {
            metrics.close(); // after the last close was counted: the meters leave the registry with the server
        }
        log.info("server stopped");
    }

    static void awaitTermination(ThreadPoolExecutor executor, long timeoutMs) {
        try {
            if (!executor.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)) {
                log.warn("{} business tasks still running after {} ms; interrupting", executor.getActiveCount(),
                        timeoutMs);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

}
