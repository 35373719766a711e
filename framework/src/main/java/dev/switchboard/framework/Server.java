package dev.switchboard.framework;

import com.google.inject.Injector;
import dev.switchboard.framework.internal.scan.ProtocolScanner;
import dev.switchboard.framework.internal.admin.AdminListener;
import dev.switchboard.framework.internal.admin.AdminRoutes;
import dev.switchboard.framework.internal.admin.Readiness;
import dev.switchboard.framework.internal.dispatch.InFlightRequests;
import dev.switchboard.framework.internal.codec.CloseReason;
import dev.switchboard.framework.internal.metrics.ServerMetrics;
import dev.switchboard.framework.internal.transport.ConnectionTracker;
import dev.switchboard.framework.internal.transport.SourceLimits;
import dev.switchboard.framework.internal.transport.TlsEndpoint;
import dev.switchboard.framework.internal.websocket.StaticFiles;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running (or ready to run) protocol server. Created by {@link Switchboard#server}; {@link #start()} scans,
 * wires, starts the services and binds; {@link #drain()} and {@link #close()} shut it down gracefully, once.
 *
 * <pre>{@code
 * try (Server server = Switchboard.server(c -> c.scan("com.example.chat").port(0)).start()) {
 *     int port = server.port();
 * }
 * }</pre>
 *
 * <p>Its life cycle is a {@link State}; {@link #state()} tells where it is. There is one way down, the drain (see
 * {@link #drain()}), whether it starts from {@code close()}, SIGTERM or the admin listener's {@code POST /drain}.
 */
public final class Server implements AutoCloseable {

    /**
     * Where a server is in its life; every change goes through one transition check.
     *
     * <pre>
     *   NEW ──start()──▶ STARTING ──bound──▶ SERVING ──drain()/close()──▶ DRAINING ──closed──▶ STOPPED
     *    │                  │                                                                  ▲
     *    │                  └──────────── start failed ────────────────────────────────────────┤
     *    └──────────────────────────────── close() before start ──────────────────────────────┘
     * </pre>
     *
     * Only {@link #SERVING} can be ready ({@code GET /health/ready}); {@link #STOPPED} is final.
     */
    public enum State {
        /** Created; {@link Server#start()} not called yet. */
        NEW,
        /** In {@link Server#start()}: wiring, starting the admin listener and the services, binding the port. */
        STARTING,
        /** The port is bound: accepting connections and dispatching their packets. */
        SERVING,
        /** Shutting down: no new connections or packets; requests in flight finish, then everything closes. */
        DRAINING,
        /** Everything is closed. */
        STOPPED;

        boolean canMoveTo(State next) {
            return switch (this) {
                case NEW -> next == STARTING || next == STOPPED;
                case STARTING -> next == SERVING || next == STOPPED;
                case SERVING -> next == DRAINING;
                case DRAINING -> next == STOPPED;
                case STOPPED -> false;
            };
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Server.class);

    /** How long each closing step may still take once the drain deadline has passed. */
    private static final long CLEANUP_MILLIS = 1_000;

    private final ServerConfig config;
    private final Object lock = new Object(); // held by start() throughout, and by every state change
    private volatile State state = State.NEW;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final InFlightRequests inFlight = new InFlightRequests();
    // Set by start() under the lock, read by the drain after it took the lock to move to DRAINING.
    private Wiring wiring;
    private List<Service> started = List.of();
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private ThreadPoolExecutor business;
    private ChannelGroup channels;
    private ConnectionTracker tracker;
    private volatile Channel serverChannel;
    private volatile Channel webSocketChannel; // null unless configured (and until it is bound)
    private volatile AdminListener admin; // null unless configured (and until it is bound)
    private ServerMetrics metrics; // null unless a registry is configured
    private Thread shutdownHook;
    private volatile Thread drainer; // the thread running the drain, once it began

    Server(ServerConfig config) {
        this.config = config;
    }

    /**
     * Wires, starts the admin listener (if configured; it answers {@code /health/ready} with 503 until the port is
     * bound), starts the services and binds the port.
     *
     * @throws InvalidProtocolException if the scanned classes are not a valid protocol (nothing is bound)
     * @throws StartFailedException when a service, the port or the admin listener cannot start (whatever started is
     *     stopped again)
     * @throws IllegalStateException if already started or closed
     */
    public Server start() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("server already started or closed (" + state + ")");
            }
            moveTo(State.STARTING);
            long begin = System.nanoTime();
            TlsEndpoint tls;
            StaticFiles files;
            try {
                // Before anything starts: a certificate that cannot be used fails the start, naming the file, and
                // so do static files that are not there.
                tls = config.tls == null ? null : config.tls.load(config.handshakeTimeout());
                files = ServerPipeline.staticFiles(config);
                wiring = Wiring.build(config, ProtocolScanner.Side.SERVER);
            } catch (RuntimeException e) {
                moveTo(State.STOPPED);
                stopped.complete(null);
                throw e; // as it is: the caller tells a bad certificate or protocol from the rest by its type
            }
            if (config.admin != null) {
                try {
                    startAdmin();
                } catch (Exception e) {
                    throw failedStart("cannot start the admin listener on " + config.admin.host + ":"
                            + config.admin.port, e);
                }
            }
            try {
                started = startServices(wiring.services());
            } catch (RuntimeException e) {
                abortStart();
                throw e; // already names the service
            }
            try {
                bind(tls, files);
            } catch (Exception e) {
                // Not only RuntimeException: ChannelFuture.sync() rethrows the bind's checked BindException as is.
                throw failedStart("cannot bind " + bindingTried(), e);
            }
            if (config.shutdownHook) {
                shutdownHook = new Thread(this::close, "switchboard-shutdown");
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
            moveTo(State.SERVING);
            log.info("server listening on {}{}{} in {} ms", serverChannel.localAddress(),
                    webSocketChannel == null ? "" : ", WebSocket on " + webSocketChannel.localAddress()
                            + config.webSocket.path,
                    tls == null ? "" : " (" + tls + ")", (System.nanoTime() - begin) / 1_000_000);
            return this;
        }
    }

    /** The lock held: checks and makes one transition. */
    private void moveTo(State next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("server cannot go from " + state + " to " + next);
        }
        state = next;
    }

    /** Undoes a start that failed part way (the lock held): everything started is stopped, the server is closed. */
    private StartFailedException failedStart(String what, Exception cause) {
        abortStart();
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new StartFailedException(what, cause);
    }

    private void abortStart() {
        shutdown(System.nanoTime()); // nothing was served, so there is nothing in flight to wait for
        moveTo(State.STOPPED);
        stopped.complete(null);
    }

    private static List<Service> startServices(List<Service> services) {
        List<Service> running = new ArrayList<>();
        for (Service service : services) {
            try {
                service.start();
                running.add(service);
            } catch (Exception e) {
                stopServices(running);
                throw new StartFailedException("service " + service + " failed to start", e);
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

    /** The address, or addresses, the start tried to bind. */
    private String bindingTried() {
        return config.host + ":" + config.port + (config.webSocket == null ? "" : " and WebSocket "
                + webSocketHost() + ":" + config.webSocket.port);
    }

    private String webSocketHost() {
        return config.webSocket.host == null ? config.host : config.webSocket.host;
    }

    private void bind(TlsEndpoint tls, StaticFiles files) throws InterruptedException {
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
        // Dispatching stops as soon as the drain begins: no handler starts once the server is not SERVING.
        ServerPipeline pipeline = new ServerPipeline(config, wiring, business, tracker,
                () -> state != State.SERVING, inFlight, tls, metrics, files);
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
        if (config.webSocket != null) {
            // The same event loops, limits, options and TLS; only the connection's first handlers differ.
            webSocketChannel = bootstrap.clone()
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            pipeline.initWebSocket(channel);
                        }
                    })
                    .bind(new InetSocketAddress(webSocketHost(), config.webSocket.port)).sync().channel();
        }
    }

    private void startAdmin() throws InterruptedException {
        List<Readiness.Check> checks = new ArrayList<>();
        config.readinessChecks.forEach((name, factory) ->
                checks.add(new Readiness.Check(name, factory.apply(wiring.injector))));
        Readiness readiness = new Readiness(() -> state, this::portBound, checks);
        Map<String, AdminRoutes.Route> routes = new LinkedHashMap<>();
        routes.put("GET " + AdminConfig.LIVE_PATH, AdminRoutes.Route.open(request -> AdminResponse.text("live\n")));
        routes.put("GET " + AdminConfig.READY_PATH,
                AdminRoutes.Route.open(request -> readiness.evaluate().toResponse()));
        routes.put("POST " + AdminConfig.DRAIN_PATH, AdminRoutes.Route.guarded(whenStarted(request -> {
            drain();
            return new AdminResponse(202, "text/plain; charset=utf-8", "draining\n");
        })));
        config.admin.endpoints.forEach((key, factory) ->
                routes.put(key, AdminRoutes.Route.guarded(whenStarted(factory.apply(wiring.injector)))));
        admin = AdminListener.start(new AdminListener.Settings(config.admin.host, config.admin.port,
                config.admin.token, new AdminRoutes(routes)));
    }

    /** The admin listener answers before the services run: until then, only the health endpoints do. */
    private AdminEndpoint whenStarted(AdminEndpoint endpoint) {
        return request -> state == State.STARTING ? AdminResponse.status(503, "server is starting")
                : endpoint.handle(request);
    }

    private boolean portBound() {
        Channel channel = serverChannel;
        return channel != null && channel.isActive();
    }

    /** Where the server is in its life cycle now. */
    public State state() {
        return state;
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

    /**
     * The WebSocket listener's bound port; empty when none is configured ({@link ServerConfig#webSocket}).
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public OptionalInt webSocketPort() {
        synchronized (lock) {
            if (serverChannel == null) {
                throw new IllegalStateException("server not started");
            }
            Channel channel = webSocketChannel;
            return channel == null ? OptionalInt.empty()
                    : OptionalInt.of(((InetSocketAddress) channel.localAddress()).getPort());
        }
    }

    /**
     * The admin listener's bound port; empty when none is configured (or, while {@link State#STARTING}, until it
     * is bound). Does not wait for {@link #start()} to finish, so a supervisor can ask health during a slow start.
     */
    public OptionalInt adminPort() {
        if (state == State.NEW) {
            throw new IllegalStateException("server not started");
        }
        AdminListener listener = admin;
        return listener == null ? OptionalInt.empty() : OptionalInt.of(listener.port());
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

    /** Completes once the server is {@link State#STOPPED}, however it got there (never exceptionally). */
    public CompletionStage<Void> stopped() {
        return stopped.minimalCompletionStage();
    }

    /**
     * Starts draining, on a thread of its own, and returns at once; {@link #close()} drains and waits. The drain:
     *
     * <ol>
     *   <li>moves to {@link State#DRAINING}: {@code GET /health/ready} answers 503, the admin listener goes on
     *       answering until the last step;</li>
     *   <li>closes the listening socket (new connections are refused) and stops reading and dispatching: packets
     *       read but not dispatched, or queued behind a blocking handler, are dropped;</li>
     *   <li>waits until the requests in flight are answered (blocking handlers queued or running, replies whose
     *       {@code CompletionStage} has not completed), at most until the {@link ServerConfig#drainTimeout drain
     *       timeout} after the drain began;</li>
     *   <li>stops the {@link Service}s in reverse order, then flushes and closes every connection; if the deadline
     *       passed, it logs one WARN line saying how many requests were still in flight, interrupts the blocking
     *       handlers and closes the connections first;</li>
     *   <li>closes the admin listener and the event loops, and moves to {@link State#STOPPED}.</li>
     * </ol>
     *
     * Idempotent: while draining or stopped it only returns {@link #stopped()}. Before {@link #start()}, it stops
     * the server at once. Called during {@code start()}, it waits for the start to finish first.
     *
     * @return {@link #stopped()}
     */
    public CompletionStage<Void> drain() {
        if (beginDrain()) {
            new Thread(this::drainAndStop, "switchboard-drain").start();
        }
        return stopped();
    }

    /**
     * Drains (see {@link #drain()}) and waits until the server is stopped; also what SIGTERM does unless
     * {@link ServerConfig#shutdownHook disabled}. Idempotent: a second caller waits for the first.
     */
    @Override
    public void close() {
        if (beginDrain()) {
            drainAndStop();
        } else if (Thread.currentThread() != drainer) {
            stopped.join();
        } // else called from within the drain (a service stopping): waiting for ourselves would never end
    }

    /** Moves to DRAINING if serving; whether the caller now owns the drain. */
    private boolean beginDrain() {
        synchronized (lock) {
            if (state == State.NEW) {
                moveTo(State.STOPPED);
                stopped.complete(null);
            }
            if (state != State.SERVING) {
                return false;
            }
            moveTo(State.DRAINING);
            return true;
        }
    }

    /** The one way down for a server that served, without the lock (so ports and state stay readable). */
    private void drainAndStop() {
        drainer = Thread.currentThread();
        long began = System.nanoTime();
        log.info("draining: not ready, refusing new connections; {} open, waiting up to {} ms for requests in "
                + "flight", connectionCount(), config.drainTimeout.toMillis());
        try {
            shutdown(began + config.drainTimeout.toNanos());
        } finally {
            synchronized (lock) {
                moveTo(State.STOPPED);
            }
            releaseShutdownHook();
            log.info("server stopped, {} ms after the drain began", (System.nanoTime() - began) / 1_000_000);
            stopped.complete(null);
        }
    }

    private void releaseShutdownHook() {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The JVM is exiting and runs the hook, which waits for this drain.
            }
        }
    }

    /**
     * Stops everything that start() started, null-safe for a start that failed part way; waits for requests in
     * flight until {@code deadline} ({@link System#nanoTime()} scale).
     */
    private void shutdown(long deadline) {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(bound(deadline));
        }
        if (webSocketChannel != null) {
            webSocketChannel.close().awaitUninterruptibly(bound(deadline));
        }
        // Dispatching stopped with the state change. autoRead alone would not be enough: a blocking handler
        // finishing turns reading back on for its sequencer.
        if (channels != null) {
            for (Channel channel : channels) {
                channel.eventLoop().execute(() -> channel.config().setAutoRead(false));
            }
        }
        boolean answered = awaitInFlight(deadline);
        if (!answered) {
            log.warn("drain deadline ({} ms) passed with requests still in flight ({}); interrupting them and "
                    + "closing {} connections anyway", config.drainTimeout.toMillis(), inFlight.count(),
                    connectionCount());
        }
        if (business != null) {
            if (answered) {
                business.shutdown();
                awaitTermination(business, bound(deadline));
            } else {
                business.shutdownNow();
            }
        }
        if (workerGroup != null) {
            // The last handlers queued their replies on the event loops: let those writes happen first.
            for (EventExecutor loop : workerGroup) {
                loop.submit(() -> { }).awaitUninterruptibly(bound(deadline));
            }
        }
        if (answered) {
            // Services stop after the last handler and before the connections close, so what a service completes
            // while stopping (a last group commit) can still reply.
            stopServices(started);
            closeConnections(deadline);
        } else {
            closeConnections(deadline);
            stopServices(started);
        }
        started = List.of();
        if (admin != null) {
            admin.close();
        }
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, CLEANUP_MILLIS, TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(2 * CLEANUP_MILLIS);
        }
        if (workerGroup != null) {
            workerGroup.shutdownGracefully(0, CLEANUP_MILLIS, TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(2 * CLEANUP_MILLIS);
        }
        if (metrics != null) {
            metrics.close(); // after the last close was counted: the meters leave the registry with the server
        }
    }

    private boolean awaitInFlight(long deadline) {
        try {
            return inFlight.awaitNone(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void closeConnections(long deadline) {
        if (channels != null) {
            for (Channel channel : channels) {
                CloseReason.mark(channel, CloseReason.SERVER_SHUTDOWN);
            }
            channels.writeAndFlush(Unpooled.EMPTY_BUFFER).awaitUninterruptibly(bound(deadline));
            channels.close().awaitUninterruptibly(bound(deadline));
        }
    }

    /** Milliseconds a step may wait: what is left until the deadline, but at least a short cleanup time. */
    private static long bound(long deadline) {
        return Math.max(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()), CLEANUP_MILLIS);
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
