package dev.switchboard.framework.internal.transport;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.framework.ConnectionAttribute;
import dev.switchboard.framework.SharedFrame;
import dev.switchboard.framework.internal.codec.CloseReason;
import dev.switchboard.framework.internal.codec.ChannelLog;
import dev.switchboard.framework.internal.codec.Outbound;
import dev.switchboard.framework.internal.codec.PacketEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The {@link Connection} of one channel, stored as a channel attribute. Fields written from other threads are
 * volatile; pipeline changes and read pausing always run on the channel's event loop.
 */
public final class ChannelConnection implements Connection {

    private static final Logger log = LoggerFactory.getLogger(ChannelConnection.class);
    private static final AttributeKey<ChannelConnection> KEY = AttributeKey.valueOf("switchboard.connection");

    /** Why reading is paused; reading resumes only when no reason is left. */
    public enum ReadPause { BACKPRESSURE, ORDERING, ORDERED_STEPS, RATE, REPLIES }

    /** Steps of {@link #inOrder} allowed to wait for their predecessors before reading pauses. */
    static final int MAX_WAITING_STEPS = 256;

    private final Channel channel;
    private final Supplier<ChannelHandler> authGate;
    private final String id;
    private volatile int version;
    private volatile int serializerId;
    private volatile Object principal;
    private int readPauses; // event loop only
    private final OrderedSteps steps;
    /** The application's attributes; the table itself is allocated at the first put. */
    private final ConcurrentHashMap<ConnectionAttribute<?>, Object> attributes = new ConcurrentHashMap<>(4);
    private ArrayDeque<Runnable> writableWaiters; // event loop only; allocated on first use

    private ChannelConnection(Channel channel, Supplier<ChannelHandler> authGate, int version, int serializerId) {
        this.channel = channel;
        this.authGate = authGate;
        this.id = channel.id().asShortText();
        this.version = version;
        this.serializerId = serializerId;
        this.steps = new OrderedSteps(channel.eventLoop(), this::stepsWaiting);
    }

    /**
     * Creates the connection of a new channel.
     *
     * @param authGate creates the authentication gate put back on logout; null where there is none (clients)
     */
    public static ChannelConnection attach(Channel channel, Supplier<ChannelHandler> authGate, int version,
            int serializerId) {
        ChannelConnection connection = new ChannelConnection(channel, authGate, version, serializerId);
        channel.attr(KEY).set(connection);
        return connection;
    }

    /** The connection of a channel set up by the framework. */
    public static ChannelConnection of(Channel channel) {
        ChannelConnection connection = channel.attr(KEY).get();
        if (connection == null) {
            throw new IllegalStateException("channel " + channel + " has no Switchboard connection");
        }
        return connection;
    }

    /** Records the version and serializer of a received frame: replies and pushes use them. */
    public void frameReceived(FrameHeader header) {
        version = header.version();
        serializerId = header.serializerId();
    }

    public Channel channel() {
        return channel;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public int protocolVersion() {
        return version;
    }

    @Override
    public int serializerId() {
        return serializerId;
    }

    @Override
    @SuppressWarnings("unchecked") // attr(key, value) only stores values of the key's type
    public <T> T attr(ConnectionAttribute<T> key) {
        return (T) attributes.get(key);
    }

    @Override
    public <T> void attr(ConnectionAttribute<T> key, T value) {
        if (value == null) {
            attributes.remove(key);
        } else {
            attributes.put(key, value);
        }
    }

    @Override
    public boolean isAuthenticated() {
        return principal != null;
    }

    @Override
    public Optional<Object> principal() {
        return Optional.ofNullable(principal);
    }

    @Override
    public void authenticate(Object principal) {
        if (principal == null) {
            throw new IllegalArgumentException("principal == null");
        }
        this.principal = principal;
        ChannelLog.user(channel, principal);
        onEventLoop(() -> {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(PipelineNames.AUTH) != null) {
                pipeline.remove(PipelineNames.AUTH);
            }
        });
    }

    @Override
    public void logout() {
        this.principal = null;
        ChannelLog.user(channel, null);
        if (authGate == null) {
            return;
        }
        onEventLoop(() -> {
            ChannelPipeline pipeline = channel.pipeline();
            if (channel.isOpen() && pipeline.get(PipelineNames.AUTH) == null
                    && pipeline.get(PipelineNames.DISPATCH) != null) {
                pipeline.addBefore(PipelineNames.DISPATCH, PipelineNames.AUTH, authGate.get());
            }
        });
    }

    @Override
    public CompletionStage<Void> send(Object packet) {
        return send(packet, version, serializerId);
    }

    @Override
    public CompletionStage<Void> send(Object packet, int protocolVersion, int serializerId) {
        if (packet == null) {
            throw new IllegalArgumentException("packet == null");
        }
        return toStage(channel.writeAndFlush(new Outbound(packet, protocolVersion, serializerId)));
    }

    @Override
    public void post(Object packet, int protocolVersion, int serializerId) {
        if (packet == null) {
            throw new IllegalArgumentException("packet == null");
        }
        channel.writeAndFlush(new Outbound(packet, protocolVersion, serializerId)).addListener(LOG_FAILURE);
    }

    @Override
    public SharedFrame encode(Object packet, int protocolVersion, int serializerId) {
        if (packet == null) {
            throw new IllegalArgumentException("packet == null");
        }
        PacketEncoder encoder = channel.pipeline().get(PacketEncoder.class);
        if (encoder == null) {
            throw new IllegalStateException("connection " + id + " has no packet encoder");
        }
        return new EncodedFrame(encoder.encodeFrame(channel.alloc(),
                new Outbound(packet, protocolVersion, serializerId)));
    }

    @Override
    public void post(SharedFrame frame) {
        if (!(frame instanceof EncodedFrame encoded)) {
            throw new IllegalArgumentException("not a frame encoded by Connection.encode: " + frame);
        }
        // The encoder passes ByteBufs through untouched: the duplicate goes to the socket as it is.
        channel.writeAndFlush(encoded.retainedDuplicate()).addListener(LOG_FAILURE);
    }

    private static final ChannelFutureListener LOG_FAILURE = future -> {
        if (!future.isSuccess() && log.isDebugEnabled()) {
            log.debug("[{}] write failed: {}", future.channel().id().asShortText(), future.cause().toString());
        }
    };

    static CompletionStage<Void> toStage(ChannelFuture future) {
        CompletableFuture<Void> stage = new CompletableFuture<>();
        future.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                stage.complete(null);
            } else {
                stage.completeExceptionally(f.cause());
            }
        });
        return stage;
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public <T> CompletionStage<T> inOrder(Supplier<? extends CompletionStage<T>> step) {
        if (step == null) {
            throw new IllegalArgumentException("step == null");
        }
        return steps.submit(step);
    }

    private void stepsWaiting(int waiting) {
        onEventLoop(() -> {
            if (waiting >= MAX_WAITING_STEPS) {
                pauseReading(ReadPause.ORDERED_STEPS);
            } else if (waiting < MAX_WAITING_STEPS / 2) {
                resumeReading(ReadPause.ORDERED_STEPS);
            }
        });
    }

    @Override
    public void whenWritable(Runnable task) {
        if (task == null) {
            throw new IllegalArgumentException("task == null");
        }
        onEventLoop(() -> {
            if (!channel.isOpen()) {
                return;
            }
            if (channel.isWritable()) {
                task.run();
                return;
            }
            if (writableWaiters == null) {
                writableWaiters = new ArrayDeque<>(2);
            }
            writableWaiters.add(task);
        });
    }

    /** Runs the {@link #whenWritable} tasks registered while unwritable; event loop only. */
    void becameWritable() {
        ArrayDeque<Runnable> waiters = writableWaiters;
        if (waiters == null) {
            return;
        }
        writableWaiters = null;
        for (Runnable task; (task = waiters.poll()) != null; ) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("[{}] whenWritable task failed", id, e);
            }
        }
    }

    @Override
    public Executor eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public boolean inEventLoop() {
        return channel.eventLoop().inEventLoop();
    }

    @Override
    public void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    @Override
    public ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        return channel.eventLoop().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close(String reason) {
        ChannelLog.at(log, Level.DEBUG, channel).log("[{}] closing: {}", id, reason);
        CloseReason.mark(channel, CloseReason.APPLICATION);
        onEventLoop(() -> channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                .addListener(ChannelFutureListener.CLOSE));
    }

    /** Stops reading for a reason; event loop only. */
    @SuppressWarnings("EnumOrdinal") // one bit per reason in an int: no allocation per connection
    public void pauseReading(ReadPause reason) {
        int bit = 1 << reason.ordinal();
        if ((readPauses & bit) == 0) {
            readPauses |= bit;
            channel.config().setAutoRead(false);
        }
    }

    /** Whether reading is paused for any reason; event loop only. */
    public boolean readingPaused() {
        return readPauses != 0;
    }

    /** Drops a reason to stop reading, and resumes when none is left; event loop only. */
    @SuppressWarnings("EnumOrdinal")
    public void resumeReading(ReadPause reason) {
        int bit = 1 << reason.ordinal();
        if ((readPauses & bit) != 0) {
            readPauses &= ~bit;
            if (readPauses == 0) {
                channel.config().setAutoRead(true);
            }
        }
    }

    private void onEventLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    @Override
    public String toString() {
        return "Connection(" + id + ", " + channel.remoteAddress() + ")";
    }
}
