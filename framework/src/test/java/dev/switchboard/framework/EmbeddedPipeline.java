package dev.switchboard.framework;

import dev.switchboard.framework.internal.scan.ProtocolScanner;
import dev.switchboard.framework.testing.EmbeddedChannels;
import dev.switchboard.framework.testing.ManualExecutor;
import dev.switchboard.framework.testing.WireCodec;
import dev.switchboard.framework.internal.transport.ConnectionTracker;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Any application's production server pipeline ({@link ServerPipeline}, from its {@link ServerConfig}) on
 * {@link EmbeddedChannel}s, for other modules' tests through the framework's test-jar: the same scan, wiring,
 * listeners and services as {@code Server.start()}, without a socket. The business executor is a
 * {@link ManualExecutor} that {@link #settle} runs. Call everything from one thread; close it to stop the
 * services. ({@link EmbeddedServer} is the echo fixture's, with more helpers.)
 */
public final class EmbeddedPipeline implements AutoCloseable {

    private final ManualExecutor business = new ManualExecutor();
    private final Wiring wiring;
    private final WireCodec codec;
    private final ServerPipeline pipeline;
    private final List<Service> started = new ArrayList<>();

    /** Configures a server as {@code Switchboard.server(configure)} would, and builds its pipeline. */
    public static EmbeddedPipeline of(Consumer<ServerConfig> configure) {
        ServerConfig config = new ServerConfig();
        configure.accept(config);
        return new EmbeddedPipeline(config);
    }

    private EmbeddedPipeline(ServerConfig config) {
        wiring = Wiring.build(config, ProtocolScanner.Side.SERVER);
        for (Service service : wiring.services()) {
            try {
                service.start();
            } catch (Exception e) {
                close();
                throw new IllegalStateException("service " + service + " failed to start", e);
            }
            started.add(service);
        }
        ConnectionTracker tracker = new ConnectionTracker(new DefaultChannelGroup(GlobalEventExecutor.INSTANCE),
                config.maxConnections, Wiring.create(config.listeners, wiring.injector));
        pipeline = new ServerPipeline(config, wiring, business, tracker);
        codec = new WireCodec(wiring.registry);
    }

    /** Encodes and decodes frames with the application's packets and serializers. */
    public WireCodec codec() {
        return codec;
    }

    /** An instance from the application's injector. */
    public <T> T instance(Class<T> type) {
        return wiring.injector.getInstance(type);
    }

    /** A new connection; end it with {@code finishAndReleaseAll()}. */
    public EmbeddedChannel connect() {
        return new EmbeddedChannel(DefaultChannelId.newInstance(), initializer());
    }

    /**
     * A new connection from {@code remote}, which the server sees from the start (per-address limits and counts
     * apply to it); end it with {@code finishAndReleaseAll()}.
     */
    public EmbeddedChannel connect(SocketAddress remote) {
        return EmbeddedChannels.from(Objects.requireNonNull(remote, "remote"), initializer());
    }

    /**
     * A new connection to the WebSocket listener from {@code remote} (the configuration must have one): HTTP until
     * a handshake upgrades it. End it with {@code finishAndReleaseAll()}.
     */
    public EmbeddedChannel connectWebSocket(SocketAddress remote) {
        return EmbeddedChannels.from(Objects.requireNonNull(remote, "remote"), new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                pipeline.initWebSocket(channel);
            }
        });
    }

    private ChannelInitializer<Channel> initializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                pipeline.init(channel);
            }
        };
    }

    /** Runs the blocking handlers queued and the event-loop tasks they queue, until there are none left. */
    public void settle(EmbeddedChannel channel) {
        do {
            channel.runPendingTasks();
        } while (business.runAll() > 0);
    }

    @Override
    public void close() {
        business.runAll();
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop();
        }
        started.clear();
    }
}
