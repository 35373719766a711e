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
import dev.switchboard.framework.internal.transport.SlowConsumerGuard;
import dev.switchboard.framework.internal.transport.TlsEndpoint;
import dev.switchboard.framework.internal.transport.TlsFirstByteCheck;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Builds a server channel's pipeline in {@link PipelineNames} order. One per server: holds the {@code @Sharable}
 * handlers and creates the stateful ones per channel. Separate from {@link Server} so tests can build the exact
 * production pipeline on an {@code EmbeddedChannel}.
 */
final class ServerPipeline {

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

    /** For tests: loads the configuration's TLS settings, if any. */
    ServerPipeline(ServerConfig config, Wiring wiring, Executor business, ConnectionTracker tracker) {
        this(config, wiring, business, tracker, new InFlightRequests(), null);
    }

    /** For tests that watch the requests in flight or the meters. */
    ServerPipeline(ServerConfig config, Wiring wiring, Executor business, ConnectionTracker tracker,
            InFlightRequests inFlight, ServerMetrics metrics) {
        this(config, wiring, business, tracker, () -> false, inFlight,
                config.tls == null ? null : config.tls.load(config.handshakeTimeout()), metrics);
    }

    /**
     * @param stopping true once no packet may be dispatched any more (the server is draining)
     * @param inFlight where the server counts requests in flight, for the drain to wait on
     * @param tls the loaded TLS settings, or null for plaintext
     * @param metrics the server's meters, or null when it has no registry
     */
    ServerPipeline(ServerConfig config, Wiring wiring, Executor business, ConnectionTracker tracker,
            BooleanSupplier stopping, InFlightRequests inFlight, TlsEndpoint tls, ServerMetrics metrics) {
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
    }

    void init(Channel channel) {
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
        pipeline.addLast(PipelineNames.FRAME_DECODER,
                new FrameDecoder(config.wireFormat, config.maxBodyLength, frames));
        if (config.framesPerSecond > 0) {
            pipeline.addLast(PipelineNames.FRAME_RATE, new FrameRateShaper(config.framesPerSecond, config.frameBurst));
        }
        if (!config.readerIdleTimeout.isZero()) {
            // After the frame decoder, so that idleness is measured in complete frames: bytes trickled into a frame
            // that never completes do not keep a connection (and its partly filled buffer) alive, which makes the
            // idle timeout the deadline for finishing a frame once started.
            pipeline.addLast(PipelineNames.IDLE, new IdleStateHandler(
                    config.readerIdleTimeout.toNanos(), 0, 0, TimeUnit.NANOSECONDS));
            pipeline.addLast(PipelineNames.IDLE_ACTION, idleCloser);
        }
        pipeline.addLast(PipelineNames.PACKET_DECODER, packetDecoder);
        pipeline.addLast(PipelineNames.PACKET_ENCODER,
                new PacketEncoder(wiring.registry, config.maxBodyLength, frames));
        pipeline.addLast(PipelineNames.ORDER, new InboundSequencer(config.maxQueuedPerConnection));
        pipeline.addLast(PipelineNames.AUTH, new AuthGate(config.authTimeout, metrics));
        pipeline.addLast(PipelineNames.DISPATCH, new Dispatcher(wiring.table, wiring.errorHandler, business,
                wiring.interceptors, stopping, config.maxQueuedPerConnection, inFlight, metrics));
        pipeline.addLast(PipelineNames.ERRORS, errorLogger);
    }
}
