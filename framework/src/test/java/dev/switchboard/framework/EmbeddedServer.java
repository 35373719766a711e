package dev.switchboard.framework;

import dev.switchboard.framework.internal.dispatch.InFlightRequests;
import dev.switchboard.framework.internal.scan.ProtocolScanner;
import dev.switchboard.framework.fixtures.echo.Probe;
import dev.switchboard.framework.fixtures.echo.RecordingErrorHandler;
import dev.switchboard.framework.testing.ManualExecutor;
import dev.switchboard.framework.testing.WireCodec;
import dev.switchboard.framework.internal.transport.ChannelConnection;
import dev.switchboard.framework.internal.transport.ConnectionTracker;
import dev.switchboard.framework.internal.transport.SourceLimits;
import dev.switchboard.framework.internal.metrics.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The production server pipeline ({@link ServerPipeline}) on {@link EmbeddedChannel}s, with the echo fixture
 * protocol, a {@link ManualExecutor} as business executor and Netty's fake time. Close it to release everything.
 */
final class EmbeddedServer implements AutoCloseable {

    static final String ECHO = "dev.switchboard.framework.fixtures.echo";

    final Probe probe = new Probe();
    final ManualExecutor business = new ManualExecutor();
    final ServerConfig config = new ServerConfig();
    final Wiring wiring;
    final WireCodec codec;
    final ChannelGroup group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    final ConnectionTracker tracker;
    final InFlightRequests inFlight = new InFlightRequests();
    final ServerMetrics metrics; // null without a registry
    final List<String> events = new CopyOnWriteArrayList<>();
    private final ServerPipeline pipeline;
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    /** The first connection. */
    final EmbeddedChannel channel;

    EmbeddedServer() {
        this(config -> {});
    }

    EmbeddedServer(Consumer<ServerConfig> customize) {
        config.scan(ECHO).modules(binder -> binder.bind(Probe.class).toInstance(probe))
                .errorHandler(RecordingErrorHandler.class).shutdownHook(false);
        customize.accept(config);
        wiring = Wiring.build(config, ProtocolScanner.Side.SERVER);
        codec = new WireCodec(wiring.registry);
        ConnectionListener listener = new ConnectionListener() {
            @Override
            public void opened(Connection connection) {
                events.add("opened " + connection.id());
            }

            @Override
            public void closed(Connection connection) {
                events.add("closed " + connection.id());
            }
        };
        metrics = wiring.metrics(config); // null unless the test configured a registry
        tracker = new ConnectionTracker(group, config.maxConnections, new SourceLimits(SourceLimits.Settings.off()),
                List.of(listener), metrics);
        pipeline = new ServerPipeline(config, wiring, business, tracker, inFlight, metrics);
        channel = connect();
    }

    /** Another connection through the same tracker. */
    EmbeddedChannel connect() {
        EmbeddedChannel ch = new EmbeddedChannel(DefaultChannelId.newInstance(), new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                pipeline.init(c);
            }
        });
        channels.add(ch);
        return ch;
    }

    ChannelConnection connection() {
        return ChannelConnection.of(channel);
    }

    void send(Object packet) {
        channel.writeInbound(codec.encode(packet));
    }

    void send(Object packet, int version, int serializerId) {
        channel.writeInbound(codec.encode(packet, version, serializerId));
    }

    /** Writes several frames in one buffer, as one TCP read would deliver them. */
    void sendTogether(Object... packets) {
        ByteBuf all = io.netty.buffer.Unpooled.buffer();
        for (Object packet : packets) {
            all.writeBytes(codec.bytes(packet));
        }
        channel.writeInbound(all);
    }

    void sendRaw(ByteBuf bytes) {
        channel.writeInbound(bytes);
    }

    /** Runs queued blocking handlers, then the event-loop tasks they queued. */
    void runBusiness() {
        business.runAll();
        channel.runPendingTasks();
    }

    /** Every frame written so far, decoded. */
    List<WireCodec.Received> written() {
        channel.runPendingTasks(); // consolidated flushes
        List<WireCodec.Received> all = new ArrayList<>();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            all.addAll(codec.decodeAll((ByteBuf) out));
        }
        return all;
    }

    /** The packets written so far. */
    List<Object> replies() {
        return written().stream().map(WireCodec.Received::packet).toList();
    }

    List<String> handlerNames() {
        return channel.pipeline().names().stream().filter(name -> !name.startsWith("DefaultChannelPipeline"))
                .toList();
    }

    @Override
    public void close() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
        business.runAll();
        channel.runPendingTasks();
    }
}
