package dev.switchboard.framework;

import dev.switchboard.framework.internal.codec.FrameDecoder;
import dev.switchboard.framework.internal.codec.PacketDecoder;
import dev.switchboard.framework.internal.codec.PacketEncoder;
import dev.switchboard.framework.internal.dispatch.Dispatcher;
import dev.switchboard.framework.internal.dispatch.InFlightRequests;
import dev.switchboard.framework.internal.dispatch.InboundSequencer;
import dev.switchboard.framework.internal.metrics.ByteMeter;
import dev.switchboard.framework.internal.metrics.FrameTally;
import dev.switchboard.framework.internal.metrics.ServerMetrics;
import dev.switchboard.framework.internal.transport.AuthGate;
import dev.switchboard.framework.internal.transport.ChannelConnection;
import dev.switchboard.framework.internal.transport.ConnectionTracker;
import dev.switchboard.framework.internal.transport.ErrorLogger;
import dev.switchboard.framework.internal.transport.FrameRateShaper;
import dev.switchboard.framework.internal.transport.IdleCloser;
import dev.switchboard.framework.internal.transport.PipelineNames;
import dev.switchboard.framework.internal.transport.ReadGate;
import dev.switchboard.framework.internal.transport.SlowConsumerGuard;
import dev.switchboard.framework.internal.transport.TlsEndpoint;
import dev.switchboard.framework.internal.transport.TlsFirstByteCheck;
import dev.switchboard.framework.internal.websocket.HandshakeGuard;
import dev.switchboard.framework.internal.websocket.StaticFileHandler;
import dev.switchboard.framework.internal.websocket.StaticFiles;
import dev.switchboard.framework.internal.websocket.WebSocketFrameAdapter;
import dev.switchboard.framework.internal.websocket.WebSocketUpgrade;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Builds a server channel's pipeline in {@link PipelineNames} order, for the TCP port ({@link #init}) and the
 * WebSocket port ({@link #initWebSocket}, which becomes the same pipeline from the frame decoder on once the
 * handshake is done). One per server: holds the {@code @Sharable} handlers and creates the stateful ones per
 * channel. Separate from {@link Server} so tests can build the exact production pipeline on an
 * {@code EmbeddedChannel}.
 */
final class ServerPipeline {

    /** HTTP requests on the WebSocket port are small: a handshake or a GET. */
    static final int MAX_HTTP_LINE = 4096;
    static final int MAX_HTTP_HEADERS = 8192;
    static final int MAX_HTTP_BODY = 8192;

    private final ServerConfig config;
    private final Wiring wiring;
    private final Executor business;
    private final ConnectionTracker tracker;
    private final BooleanSupplier stopping;
    private final InFlightRequests inFlight;
    private final PacketDecoder packetDecoder;
    private final IdleCloser idleCloser = new IdleCloser();
    private final ErrorLogger errorLogger;
    private final TlsEndpoint tls; // null: plaintext
    private final TlsFirstByteCheck tlsCheck = new TlsFirstByteCheck();
    private final ServerMetrics metrics; // null: no registry, no metering handlers
    // The WebSocket port's shared handlers; null without one.
    private final HandshakeGuard handshakeGuard;
    private final StaticFileHandler staticFiles;
    private final WebSocketServerProtocolConfig webSocketProtocol;

    /** For tests: loads the configuration's TLS settings and static files, if any. */
    ServerPipeline(ServerConfig config, Wiring wiring, Executor business, ConnectionTracker tracker) {
        this(config, wiring, business, tracker, new InFlightRequests(), null);
    }

    /** For tests that watch the requests in flight or the meters. */
    ServerPipeline(ServerConfig config, Wiring wiring, Executor business, ConnectionTracker tracker,
            InFlightRequests inFlight, ServerMetrics metrics) {
        this(config, wiring, business, tracker, () -> false, inFlight,
                config.tls == null ? null : config.tls.load(config.handshakeTimeout()), metrics,
                staticFiles(config));
    }

    /**
     * @param stopping true once no packet may be dispatched any more (the server is draining)
     * @param inFlight where the server counts requests in flight, for the drain to wait on
     * @param tls the loaded TLS settings, or null for plaintext
     * @param metrics the server's meters, or null when it has no registry
     * @param files the WebSocket port's static files (ignored without a WebSocket port)
     */
    ServerPipeline(ServerConfig config, Wiring wiring, Executor business, ConnectionTracker tracker,
            BooleanSupplier stopping, InFlightRequests inFlight, TlsEndpoint tls, ServerMetrics metrics,
            StaticFiles files) {
        this.metrics = metrics;
        this.errorLogger = new ErrorLogger(metrics);
        this.stopping = stopping;
        this.inFlight = inFlight;
        this.tls = tls;
        this.config = config;
        this.wiring = wiring;
        this.business = business;
        this.tracker = tracker;
        this.packetDecoder = new PacketDecoder(wiring.registry);
        WebSocketConfig ws = config.webSocket;
        if (ws == null) {
            handshakeGuard = null;
            staticFiles = null;
            webSocketProtocol = null;
        } else {
            handshakeGuard = new HandshakeGuard(new HandshakeGuard.Settings(ws.path, ws.origins, ws.sameOrigin,
                    ws.missingOrigin, tls != null));
            staticFiles = new StaticFileHandler(files, tls != null);
            webSocketProtocol = WebSocketServerProtocolConfig.newBuilder()
                    .websocketPath(ws.path)
                    .checkStartsWith(false)
                    .handshakeTimeoutMillis(config.handshakeTimeout().toMillis())
                    .handleCloseFrames(true) // a peer's close is answered, then the connection closes
                    .sendCloseFrame(null) // the adapter sends the close frame, with the code for the reason
                    .dropPongFrames(true)
                    .decoderConfig(WebSocketDecoderConfig.newBuilder()
                            .maxFramePayloadLength(
                                    WebSocketFrameAdapter.maxMessageLength(config.wireFormat, config.maxBodyLength))
                            .expectMaskedFrames(true)
                            .allowMaskMismatch(false)
                            .allowExtensions(false)
                            .closeOnProtocolViolation(true)
                            .withUTF8Validator(false) // text messages are refused whole
                            .build())
                    .build();
        }
    }

    /** The static files of the configuration's WebSocket port, read now; none without. */
    static StaticFiles staticFiles(ServerConfig config) {
        return config.webSocket == null || config.webSocket.staticRoot == null ? StaticFiles.none()
                : StaticFiles.load(config.webSocket.staticRoot);
    }

    /** A connection to the protocol's TCP port. */
    void init(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        FrameTally frames = initTransport(channel);
        BiConsumer<String, ChannelHandler> add = pipeline::addLast;
        add.accept(PipelineNames.FRAME_DECODER, new FrameDecoder(config.wireFormat, config.maxBodyLength, frames));
        addFrameRate(add);
        addProtocol(frames, add);
        pipeline.addLast(PipelineNames.ERRORS, errorLogger);
    }

    /**
     * A connection to the WebSocket port: HTTP until the handshake is done (static files, the origin check), then
     * the protocol, one frame per binary message. Its listeners hear of it only then.
     */
    void initWebSocket(Channel channel) {
        if (webSocketProtocol == null) {
            throw new IllegalStateException("no WebSocket port configured");
        }
        ConnectionTracker.deferListeners(channel);
        ChannelPipeline pipeline = channel.pipeline();
        FrameTally frames = initTransport(channel);
        pipeline.addLast(PipelineNames.HTTP_CODEC, new HttpServerCodec(MAX_HTTP_LINE, MAX_HTTP_HEADERS,
                MAX_HTTP_BODY));
        pipeline.addLast(PipelineNames.HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_HTTP_BODY));
        // After the aggregator: only whole requests count as activity, so a trickled request cannot hold the
        // connection. The same bound as a TLS handshake: the auth timeout, at most 10 s.
        pipeline.addLast(PipelineNames.HTTP_IDLE, new IdleStateHandler(config.handshakeTimeout().toNanos(), 0, 0,
                TimeUnit.NANOSECONDS));
        pipeline.addLast(PipelineNames.HTTP_IDLE_ACTION, idleCloser);
        pipeline.addLast(PipelineNames.WS_GUARD, handshakeGuard);
        pipeline.addLast(PipelineNames.WS_PROTOCOL, new WebSocketServerProtocolHandler(webSocketProtocol));
        pipeline.addLast(PipelineNames.WS_UPGRADE, new WebSocketUpgrade(() -> upgraded(channel, frames)));
        pipeline.addLast(PipelineNames.STATIC_FILES, staticFiles);
        pipeline.addLast(PipelineNames.ERRORS, errorLogger);
    }

    /** The handshake is done (the 101 is written): from here on the connection speaks the protocol. */
    private void upgraded(Channel channel, FrameTally frames) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.remove(PipelineNames.HTTP_IDLE);
        pipeline.remove(PipelineNames.HTTP_IDLE_ACTION);
        pipeline.remove(PipelineNames.WS_GUARD);
        pipeline.remove(PipelineNames.WS_UPGRADE);
        pipeline.remove(PipelineNames.STATIC_FILES);
        if (!channel.isActive()) {
            return;
        }
        // Before Netty's protocol handler, which answers pings itself: every WebSocket frame the peer sends (pings,
        // pongs, close frames, fragments) takes a token, as every frame does over TCP. After it, pings went
        // unshaped, and a client reading its pongs had them answered as fast as it could send (100,000 in 4 s
        // against the 50 s that as many frames take over TCP at the default rate).
        addFrameRate((name, handler) -> pipeline.addBefore(PipelineNames.WS_PROTOCOL, name, handler));
        BiConsumer<String, ChannelHandler> add = (name, handler) -> pipeline.addBefore(PipelineNames.ERRORS, name,
                handler);
        add.accept(PipelineNames.FRAME_DECODER,
                new WebSocketFrameAdapter(config.wireFormat, config.maxBodyLength, frames));
        addProtocol(frames, add);
        tracker.announce(channel);
    }

    /** Attaches the connection and adds the handlers nearest the socket, up to the slow-consumer guard. */
    private FrameTally initTransport(Channel channel) {
        ChannelConnection.attach(channel, () -> new AuthGate(config.authTimeout, metrics),
                config.wireFormat.defaultVersion(), config.wireFormat.defaultSerializerId());
        ChannelPipeline pipeline = channel.pipeline();
        // The decoder and the encoder count frames for the metrics (no metering handler of their own); the byte
        // meter, nearest the socket, counts bytes and publishes the frame counts on the flushes that reach it.
        FrameTally frames = metrics == null ? null : new FrameTally(metrics);
        if (metrics != null) {
            pipeline.addLast(PipelineNames.BYTES, new ByteMeter(metrics, frames)); // what crosses the network
        }
        if (tls != null) {
            // Nearest the socket: every handler after it sees plaintext. A server's handshake waits for the peer's
            // ClientHello, so the tracker still refuses a connection over a limit before any handshake work.
            pipeline.addLast(PipelineNames.TLS_CHECK, tlsCheck);
            pipeline.addLast(PipelineNames.TLS, tls.newHandler(channel));
        }
        pipeline.addLast(PipelineNames.FLUSH, new FlushConsolidationHandler(256, true));
        pipeline.addLast(PipelineNames.TRACKER, tracker);
        pipeline.addLast(PipelineNames.SLOW_CONSUMER,
                new SlowConsumerGuard(config.maxBytesAboveHighWater));
        pipeline.addLast(PipelineNames.READ_GATE, ReadGate.INSTANCE);
        return frames;
    }

    /** The frame-rate shaper, unless the rate is off. */
    private void addFrameRate(BiConsumer<String, ChannelHandler> add) {
        if (config.framesPerSecond > 0) {
            add.accept(PipelineNames.FRAME_RATE, new FrameRateShaper(config.framesPerSecond, config.frameBurst));
        }
    }

    /** The protocol's handlers after the frame decoder (and the shaper) up to dispatch, given to {@code add}. */
    private void addProtocol(FrameTally frames, BiConsumer<String, ChannelHandler> add) {
        if (!config.readerIdleTimeout.isZero()) {
            // After the frame decoder, so that idleness is measured in complete frames: bytes trickled into a frame
            // that never completes do not keep a connection (and its partly filled buffer) alive, which makes the
            // idle timeout the deadline for finishing a frame once started.
            add.accept(PipelineNames.IDLE, new IdleStateHandler(
                    config.readerIdleTimeout.toNanos(), 0, 0, TimeUnit.NANOSECONDS));
            add.accept(PipelineNames.IDLE_ACTION, idleCloser);
        }
        add.accept(PipelineNames.PACKET_DECODER, packetDecoder);
        add.accept(PipelineNames.PACKET_ENCODER, new PacketEncoder(wiring.registry, config.maxBodyLength, frames));
        add.accept(PipelineNames.ORDER, new InboundSequencer(config.maxQueuedPerConnection));
        add.accept(PipelineNames.AUTH, new AuthGate(config.authTimeout, metrics));
        add.accept(PipelineNames.DISPATCH, new Dispatcher(wiring.table, wiring.errorHandler, business,
                wiring.interceptors, stopping, config.maxQueuedPerConnection, inFlight, metrics));
    }
}
