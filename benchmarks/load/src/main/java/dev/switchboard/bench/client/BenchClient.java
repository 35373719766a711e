package dev.switchboard.bench.client;

import dev.switchboard.bench.protocol.ConversationsResponse;
import dev.switchboard.bench.protocol.CreateGroupResponse;
import dev.switchboard.bench.protocol.DeliveryAck;
import dev.switchboard.bench.protocol.ErrorResponse;
import dev.switchboard.bench.protocol.GroupChanged;
import dev.switchboard.bench.protocol.GroupMessageResponse;
import dev.switchboard.bench.protocol.HeartBeatRequest;
import dev.switchboard.bench.protocol.HeartBeatResponse;
import dev.switchboard.bench.protocol.HistoryResponse;
import dev.switchboard.bench.protocol.JoinGroupResponse;
import dev.switchboard.bench.protocol.LoginRequest;
import dev.switchboard.bench.protocol.LoginResponse;
import dev.switchboard.bench.protocol.LogoutResponse;
import dev.switchboard.bench.protocol.MalformedPacket;
import dev.switchboard.bench.protocol.MessageResponse;
import dev.switchboard.bench.protocol.SendAck;
import dev.switchboard.bench.protocol.UnknownPacket;
import dev.switchboard.bench.protocol.WireFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One client connection speaking the IM protocol, behaving as a real client would: it acknowledges deliveries
 * cumulatively (every {@link BenchClientSettings#ackEvery()} deliveries or after
 * {@link BenchClientSettings#ackDelay()}), sends heartbeats, and checks that the per-recipient {@code seq} of
 * deliveries grows by one without gaps.
 *
 * <p>Threading: {@link #write} and {@link #flush} belong to the event loop (call them from {@link ClientListener}
 * callbacks or {@link #execute} tasks); writes made while a read batch is handled are flushed once at its end.
 * {@link #send}, {@link #request}, {@link #expect} and {@link #close} may be called from any thread. Counters are
 * written only by the event loop and may be read from any thread.
 */
public final class BenchClient {

    /** Which reply type answers which request command, so an {@link ErrorResponse} can fail the right request. */
    private static final Map<Integer, Class<?>> REPLY_TO_COMMAND = Map.of(
            1, LoginResponse.class,
            5, LogoutResponse.class,
            7, CreateGroupResponse.class,
            11, JoinGroupResponse.class,
            17, HeartBeatResponse.class,
            28, HistoryResponse.class,
            30, ConversationsResponse.class);

    private final Channel channel;
    private final BenchClientSettings settings;
    private final ClientListener listener;
    private final Map<Class<?>, Queue<CompletableFuture<Object>>> waiters = new ConcurrentHashMap<>();
    private final Runnable ackTimerTask = this::ackTimerFired;
    // The counters below are written by the client's event loop only and read by the reporting thread, so
    // their non-atomic increments are safe (NonAtomicVolatileUpdate is suppressed where they are counted).
    private volatile boolean closeRequested;
    private volatile boolean closedByPeer;
    private volatile long seqViolations;
    private volatile long heartbeatResponses;
    private volatile long malformedPackets;
    private volatile long unknownPackets;
    private long lastSeq = -1;
    private int unackedDeliveries;
    private boolean ackTimerScheduled;
    private boolean inRead;
    private boolean needsFlush;
    private ScheduledFuture<?> heartbeat;

    BenchClient(Channel channel, BenchClientSettings settings, ClientListener listener) {
        this.channel = channel;
        this.settings = settings;
        this.listener = listener;
        channel.closeFuture().addListener(f -> closed());
    }

    /** The inbound handler to put at the end of this client's pipeline. */
    SimpleChannelInboundHandler<WireFrame> inboundHandler() {
        return new Inbound();
    }

    /** Starts the heartbeat timer, at a random phase so that many clients do not beat in step. Event loop only. */
    void started() {
        long periodMillis = settings.heartbeatInterval().toMillis();
        if (periodMillis > 0) {
            long phase = ThreadLocalRandom.current().nextLong(periodMillis);
            heartbeat = channel.eventLoop().scheduleAtFixedRate(
                    () -> send(new HeartBeatRequest()), phase, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** The client's channel. */
    public Channel channel() {
        return channel;
    }

    /** The client's event loop. */
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** Runs a task on the event loop. */
    public void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    /** Writes a packet without flushing. Event loop only. */
    public void write(Object packet) {
        channel.write(new WireFrame(settings.version(), settings.format(), packet), channel.voidPromise());
        needsFlush = true;
    }

    /** Flushes what was written, unless a read batch is in progress (its end flushes). Event loop only. */
    public void flush() {
        if (needsFlush && !inRead) {
            needsFlush = false;
            channel.flush();
        }
    }

    /** Writes and flushes a packet. Any thread. */
    public void send(Object packet) {
        if (channel.eventLoop().inEventLoop()) {
            write(packet);
            flush();
        } else {
            channel.eventLoop().execute(() -> send(packet));
        }
    }

    /**
     * Waits for the next packet of a type, registering before returning, so a packet triggered after this call is
     * never missed. Fails on an {@link ErrorResponse} to the request that type answers, or when the connection
     * closes. Any thread.
     */
    @SuppressWarnings("unchecked")
    public <R> CompletableFuture<R> expect(Class<R> type) {
        CompletableFuture<Object> waiter = new CompletableFuture<>();
        waiters.computeIfAbsent(type, t -> new ConcurrentLinkedQueue<>()).add(waiter);
        if (!channel.isOpen()) {
            waiter.completeExceptionally(new ClosedChannelException());
        }
        return (CompletableFuture<R>) (CompletableFuture<?>) waiter;
    }

    /**
     * Waits for whichever of two packet types comes first; the other's waiter stays registered and completes
     * unseen at the next such packet. Any thread.
     */
    public CompletableFuture<Object> expectEither(Class<?> one, Class<?> other) {
        CompletableFuture<?> first = expect(one);
        CompletableFuture<?> second = expect(other);
        return CompletableFuture.anyOf(first, second);
    }

    /** Sends a request and waits for its reply. Any thread. */
    public <R> CompletableFuture<R> request(Object packet, Class<R> replyType) {
        CompletableFuture<R> reply = expect(replyType);
        send(packet);
        return reply;
    }

    /** Logs in; the future fails with {@link LoginRefused} if the response says no. Any thread. */
    public CompletableFuture<LoginResponse> login(LoginRequest request) {
        return request(request, LoginResponse.class).thenApply(response -> {
            if (!response.success()) {
                throw new LoginRefused(request.userName(), response.reason());
            }
            return response;
        });
    }

    /** Closes the connection; not counted as {@link #closedByPeer()}. Any thread. */
    public CompletableFuture<Void> close() {
        closeRequested = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.close().addListener(f -> done.complete(null));
        return done;
    }

    /** Whether the connection closed without {@link #close()} being called. */
    public boolean closedByPeer() {
        return closedByPeer;
    }

    /** Deliveries whose {@code seq} was not the previous one plus one. */
    public long seqViolations() {
        return seqViolations;
    }

    /** Heartbeat responses received. */
    public long heartbeatResponses() {
        return heartbeatResponses;
    }

    /** Packets whose body could not be read. */
    public long malformedPackets() {
        return malformedPackets;
    }

    /** Packets with command codes this client does not know (ignored, as the protocol asks). */
    public long unknownPackets() {
        return unknownPackets;
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: the event loop
    private void onPacket(Object packet) {
        if (packet instanceof MessageResponse delivery) {
            delivered(delivery.seq());
            listener.onDelivery(this, delivery);
        } else if (packet instanceof GroupMessageResponse delivery) {
            delivered(delivery.seq());
            listener.onGroupDelivery(this, delivery);
        } else if (packet instanceof GroupChanged event) {
            delivered(event.seq());
            if (event.seq() != null) {
                listener.onInboxEvent(this, event.seq());
            }
            CompletableFuture<Object> waiter = nextWaiter(GroupChanged.class);
            if (waiter != null) {
                waiter.complete(event);
            }
        } else if (packet instanceof SendAck ack) {
            listener.onSendAck(this, ack);
        } else if (packet instanceof ErrorResponse error) {
            Class<?> replyType = error.requestCommand() == null ? null : REPLY_TO_COMMAND.get(error.requestCommand());
            CompletableFuture<Object> waiter = replyType == null ? null : nextWaiter(replyType);
            if (waiter != null) {
                waiter.completeExceptionally(new RequestRefused(error));
            } else {
                listener.onError(this, error);
            }
        } else if (packet instanceof UnknownPacket) {
            unknownPackets++;
        } else if (packet instanceof MalformedPacket) {
            malformedPackets++;
        } else {
            if (packet instanceof HeartBeatResponse) {
                heartbeatResponses++;
            }
            CompletableFuture<Object> waiter = nextWaiter(packet.getClass());
            if (waiter != null) {
                waiter.complete(packet);
            }
        }
    }

    private CompletableFuture<Object> nextWaiter(Class<?> type) {
        Queue<CompletableFuture<Object>> queue = waiters.get(type);
        return queue == null ? null : queue.poll();
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: the event loop
    private void delivered(Long seq) {
        if (seq == null) {
            return; // a v1 server: nothing to check or acknowledge
        }
        if (lastSeq >= 0 && seq != lastSeq + 1) {
            seqViolations++;
        }
        lastSeq = Math.max(lastSeq, seq);
        if (++unackedDeliveries >= settings.ackEvery()) {
            acknowledge();
        } else if (!ackTimerScheduled) {
            ackTimerScheduled = true;
            channel.eventLoop().schedule(ackTimerTask, settings.ackDelay().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void acknowledge() {
        unackedDeliveries = 0;
        write(new DeliveryAck(lastSeq));
    }

    private void ackTimerFired() {
        ackTimerScheduled = false;
        if (unackedDeliveries > 0 && channel.isActive()) {
            acknowledge();
            flush();
        }
    }

    private void closed() {
        closedByPeer = !closeRequested;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        for (Queue<CompletableFuture<Object>> queue : waiters.values()) {
            for (CompletableFuture<Object> waiter; (waiter = queue.poll()) != null; ) {
                waiter.completeExceptionally(new ClosedChannelException());
            }
        }
        listener.onClosed(this);
    }

    /** Feeds frames to the client and flushes once per read batch. */
    private final class Inbound extends SimpleChannelInboundHandler<WireFrame> {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            inRead = true;
            super.channelRead(ctx, msg);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WireFrame frame) {
            onPacket(frame.packet());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            inRead = false;
            flush();
            ctx.fireChannelReadComplete();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A framing error or a reset: the stream is unusable. The close is visible as closedByPeer().
            ctx.close();
        }
    }
}
