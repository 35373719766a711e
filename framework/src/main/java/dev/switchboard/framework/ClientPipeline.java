package dev.switchboard.framework;

import dev.switchboard.framework.internal.codec.FrameDecoder;
import dev.switchboard.framework.internal.codec.PacketDecoder;
import dev.switchboard.framework.internal.codec.PacketEncoder;
import dev.switchboard.framework.internal.dispatch.Dispatcher;
import dev.switchboard.framework.internal.dispatch.InboundSequencer;
import dev.switchboard.framework.internal.transport.ChannelConnection;
import dev.switchboard.framework.internal.transport.ErrorLogger;
import dev.switchboard.framework.internal.transport.HeartbeatSender;
import dev.switchboard.framework.internal.transport.PendingReplies;
import dev.switchboard.framework.internal.transport.PipelineNames;
import dev.switchboard.framework.internal.transport.ReplyMatcher;
import dev.switchboard.framework.internal.transport.TlsEndpoint;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Builds a client channel's pipeline in {@link PipelineNames} order. One per client: holds the {@code @Sharable}
 * handlers and creates the stateful ones per channel (a new channel on every reconnect).
 */
final class ClientPipeline {

    private final ClientConfig config;
    private final Wiring wiring;
    private final Executor business;
    private final PacketDecoder packetDecoder;
    private final HeartbeatSender heartbeat;
    private final ReplyMatcher replies;
    private final ErrorLogger errors = new ErrorLogger();
    private final int version;
    private final int serializer;
    private final TlsEndpoint tls; // null: plaintext

    /** @param tls the loaded TLS settings, or null for plaintext */
    ClientPipeline(ClientConfig config, Wiring wiring, Executor business, PendingReplies pending, TlsEndpoint tls) {
        this.config = config;
        this.tls = tls;
        this.wiring = wiring;
        this.business = business;
        this.packetDecoder = new PacketDecoder(wiring.registry);
        this.heartbeat = new HeartbeatSender(config.heartbeat);
        this.replies = new ReplyMatcher(pending);
        this.version = config.version != null ? config.version : config.wireFormat.defaultVersion();
        this.serializer = config.serializerId != null ? config.serializerId
                : config.wireFormat.defaultSerializerId();
    }

    /** Sets up a channel about to connect to {@code server} (TLS checks that server's name). */
    void init(Channel channel, ClientConfig.ServerAddress server) {
        ChannelConnection.attach(channel, null, version, serializer);
        ChannelPipeline pipeline = channel.pipeline();
        if (tls != null) {
            pipeline.addLast(PipelineNames.TLS, tls.newHandler(channel, server.host(), server.port()));
        }
        pipeline.addLast(PipelineNames.IDLE, new IdleStateHandler(
                config.readerIdleTimeout.toNanos(), config.heartbeatInterval.toNanos(), 0, TimeUnit.NANOSECONDS));
        pipeline.addLast(PipelineNames.IDLE_ACTION, heartbeat);
        pipeline.addLast(PipelineNames.FRAME_DECODER, new FrameDecoder(config.wireFormat, config.maxBodyLength));
        pipeline.addLast(PipelineNames.PACKET_DECODER, packetDecoder);
        pipeline.addLast(PipelineNames.PACKET_ENCODER, new PacketEncoder(wiring.registry, config.maxBodyLength));
        pipeline.addLast(PipelineNames.REPLIES, replies);
        pipeline.addLast(PipelineNames.ORDER, new InboundSequencer(config.maxQueuedPerConnection));
        pipeline.addLast(PipelineNames.DISPATCH, new Dispatcher(wiring.table, wiring.errorHandler, business,
                wiring.interceptors));
        pipeline.addLast(PipelineNames.ERRORS, errors);
    }
}
