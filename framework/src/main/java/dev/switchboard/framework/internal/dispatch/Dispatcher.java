package dev.switchboard.framework.internal.dispatch;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.ErrorHandler;
import dev.switchboard.framework.Failure;
import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.framework.Interceptor;
import dev.switchboard.framework.internal.codec.ChannelLog;
import dev.switchboard.framework.internal.codec.Inbound;
import dev.switchboard.framework.internal.metrics.ServerMetrics;
import dev.switchboard.framework.internal.transport.ChannelConnection;
import dev.switchboard.framework.internal.transport.PipelineNames;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the handler of each {@link Inbound.Decoded} packet and writes its reply in the request's version and
 * serializer; turns every {@link Inbound.Rejected} packet and handler failure into the error handler's reply.
 * Replies leave in request order, also when a handler's {@code CompletionStage} completes after later requests
 * were answered: a reply that is ready waits for the earlier ones (reading pauses once
 * {@code maxPendingReplies} wait), so a client can match replies to its pipelined requests without ids.
 * Stateful (it knows its channel's sequencer): one per channel.
 *
 * <p>Logging: every failure is logged once, at DEBUG; the first failure on a connection that the error handler
 * answers with nothing is also reported in one line, at INFO unless something else was reported about the
 * connection already ({@link ChannelLog}: later ones stay at DEBUG, so a peer sending garbage cannot flood the
 * log), and an error handler that throws at WARN with its stack trace.
 */
public final class Dispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final HandlerTable table;
    private final ErrorHandler errors;
    private final Executor business;
    private final Interceptor[] interceptors;
    private final BooleanSupplier stopping;
    private final ServerMetrics metrics; // null: no registry, and no clock read per request
    private ChannelConnection connection;
    private InboundSequencer sequencer;
    private boolean reportedUnanswered; // a benign race across threads: ChannelLog keeps a second one at DEBUG
    private ChannelHandlerContext ctx;
    private final int maxPendingReplies;
    // Replies not yet written because an earlier request's reply is still pending, oldest first; event loop only.
    // Allocated on first use: a connection whose replies are ready at once never needs it.
    private ArrayDeque<PendingReply> pending;
    private Runnable afterReplies; // a blocking handler waiting for the replies before it; event loop only
    private final InFlightRequests inFlight;
    private int inFlightHere; // this connection's share of inFlight; event loop only
    private boolean inactive; // event loop only: from then on nothing is counted, what was is given back

    public Dispatcher(HandlerTable table, ErrorHandler errors, Executor business, List<Interceptor> interceptors) {
        this(table, errors, business, interceptors, () -> false);
    }

    public Dispatcher(HandlerTable table, ErrorHandler errors, Executor business, List<Interceptor> interceptors,
            BooleanSupplier stopping) {
        this(table, errors, business, interceptors, stopping, DEFAULT_MAX_PENDING_REPLIES, new InFlightRequests());
    }

    /** Replies waiting for an earlier one before reading from the connection pauses, unless configured. */
    public static final int DEFAULT_MAX_PENDING_REPLIES = 256;

    /**
     * @param stopping true once the server is shutting down: from then on packets are dropped, not dispatched,
     *     so that no handler starts after reading stopped (in-flight blocking handlers still finish and reply)
     * @param maxPendingReplies requests whose reply is not written yet before reading from the connection pauses
     * @param inFlight where this connection's requests that outlive their event-loop turn are counted, for drain
     */
    public Dispatcher(HandlerTable table, ErrorHandler errors, Executor business, List<Interceptor> interceptors,
            BooleanSupplier stopping, int maxPendingReplies, InFlightRequests inFlight) {
        this(table, errors, business, interceptors, stopping, maxPendingReplies, inFlight, null);
    }

    /** @param metrics where handler latency and failures are recorded, or null for none */
    public Dispatcher(HandlerTable table, ErrorHandler errors, Executor business, List<Interceptor> interceptors,
            BooleanSupplier stopping, int maxPendingReplies, InFlightRequests inFlight, ServerMetrics metrics) {
        this.metrics = metrics;
        if (maxPendingReplies < 1) {
            throw new IllegalArgumentException("maxPendingReplies < 1: " + maxPendingReplies);
        }
        this.maxPendingReplies = maxPendingReplies;
        this.table = table;
        this.errors = errors;
        this.business = business;
        this.interceptors = interceptors.toArray(Interceptor[]::new);
        this.stopping = stopping;
        this.inFlight = inFlight;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.connection = ChannelConnection.of(ctx.channel());
        this.sequencer = (InboundSequencer) ctx.pipeline().get(PipelineNames.ORDER);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Inbound inbound)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (stopping.getAsBoolean()) {
            if (log.isDebugEnabled()) {
                log.debug("[{}] shutting down: dropping command {}", connection.id(), inbound.header().command());
            }
            return;
        }
        if (inbound instanceof Inbound.Rejected rejected) {
            FrameHeader header = rejected.header();
            if (rejected.failure().kind() == Failure.Kind.UNKNOWN_SERIALIZER) {
                // No reply can be written with a serializer we do not have: answer in the connection's current
                // one, and do not adopt the unknown id for later replies and pushes.
                header = new FrameHeader(header.version(), connection.serializerId(), header.command(),
                        header.bodyLength());
            }
            connection.frameReceived(header);
            answer(header, null, rejected.failure());
            return;
        }
        connection.frameReceived(inbound.header());
        Inbound.Decoded decoded = (Inbound.Decoded) inbound;
        HandlerBinding binding = table.get(decoded.type().type());
        if (binding == null) {
            answer(decoded.header(), null, failure(Failure.Kind.NO_HANDLER, decoded, null));
            return;
        }
        long start = metrics == null ? ServerMetrics.NOT_TIMED : metrics.latencyStart();
        if (binding.blocking()) {
            dispatchBlocking(decoded, binding, start);
            return;
        }
        Object result;
        try {
            result = call(binding, decoded.packet());
        } catch (Throwable e) {
            handled(decoded, start);
            answer(decoded.header(), null, failure(Failure.Kind.HANDLER_FAILED, decoded, e));
            return;
        }
        complete(decoded, result, start);
    }

    /** Records the handler latency of a request, dispatched at {@code start}, whose outcome is known now. */
    private void handled(Inbound.Decoded decoded, long start) {
        if (metrics != null) {
            metrics.handled(decoded.header().command(), start);
        }
    }

    private void dispatchBlocking(Inbound.Decoded decoded, HandlerBinding binding, long start) {
        begin(); // ended in blockingDone, on a refusal, or when the channel goes inactive
        if (sequencer != null) {
            sequencer.hold();
            if (pending != null && !pending.isEmpty()) {
                // A blocking handler may write to the connection itself (a login writes its response before the
                // first delivery): it starts only once every earlier reply is out, so nothing it writes overtakes
                // them. Later packets wait in the held sequencer meanwhile.
                afterReplies = () -> startBlocking(decoded, binding, start);
                return;
            }
        }
        startBlocking(decoded, binding, start);
    }

    /** Event loop: hands the call to the business executor, or answers OVERLOADED at once if it is full. */
    private void startBlocking(Inbound.Decoded decoded, HandlerBinding binding, long start) {
        try {
            business.execute(() -> runBlocking(decoded, binding, start));
        } catch (RejectedExecutionException e) {
            handled(decoded, start);
            // Answer first, then let the packets waiting behind this one through: their replies come after.
            try {
                answer(decoded.header(), null, failure(Failure.Kind.OVERLOADED, decoded, e));
            } finally {
                release();
                end(1);
            }
        }
    }

    /** Business thread: calls the handler, then takes its outcome back to the event loop. */
    private void runBlocking(Inbound.Decoded decoded, HandlerBinding binding, long start) {
        Object result;
        try {
            result = call(binding, decoded.packet());
        } catch (Throwable e) {
            onEventLoop(() -> blockingDone(decoded, null, e, start));
            return;
        }
        onEventLoop(() -> blockingDone(decoded, result, null, start));
    }

    /** Event loop: answers a blocking call (its result or its failure) and lets the held packets through. */
    private void blockingDone(Inbound.Decoded decoded, Object result, Throwable error, long start) {
        try {
            if (error != null) {
                handled(decoded, start);
                answer(decoded.header(), null, failure(Failure.Kind.HANDLER_FAILED, decoded, error));
            } else {
                complete(decoded, result, start);
            }
        } finally {
            release();
            end(1);
        }
    }

    private void release() {
        if (sequencer != null) {
            sequencer.release();
        }
    }

    private Object call(HandlerBinding binding, Object packet) throws Exception {
        if (interceptors.length == 0) {
            return binding.invoker().invoke(packet, connection);
        }
        return new Chain(binding, packet, 0).proceed();
    }

    /** Event loop. */
    private void complete(Inbound.Decoded decoded, Object result, long start) {
        // Exactly CompletableFuture: its subclasses may refuse isDone (minimalCompletionStage, completedStage throw).
        if (result != null && result.getClass() == CompletableFuture.class) {
            CompletableFuture<?> future = (CompletableFuture<?>) result;
            if (!future.isDone() || future.isCompletedExceptionally()) {
                completeLater(decoded, future, start);
                return;
            }
            handled(decoded, start);
            answer(decoded.header(), future.getNow(null), null); // already complete: no callback stage to allocate
            return;
        }
        if (result instanceof CompletionStage<?> stage) {
            completeLater(decoded, stage, start);
            return;
        }
        handled(decoded, start);
        answer(decoded.header(), result, null);
    }

    /** Event loop: the reply's place is kept in the connection's order until the stage completes. */
    private void completeLater(Inbound.Decoded decoded, CompletionStage<?> stage, long start) {
        PendingReply slot = reserve(decoded.header());
        stage.whenComplete((value, error) -> onEventLoop(() -> {
            handled(decoded, start);
            slot.complete(value, error == null ? null : failure(Failure.Kind.HANDLER_FAILED, decoded, error));
            writeReady();
        }));
    }

    /**
     * Writes a reply (or the error handler's answer to a failure) now if no earlier request of this connection is
     * still waiting for its reply, otherwise queues it behind them: replies leave in request order, which is what
     * lets a client match them to its requests without ids. Event loop.
     */
    private void answer(FrameHeader request, Object reply, Failure failure) {
        if (pending == null || pending.isEmpty()) {
            write(request, reply, failure);
            return;
        }
        reserve(request).complete(reply, failure);
    }

    private PendingReply reserve(FrameHeader request) {
        if (pending == null) {
            pending = new ArrayDeque<>();
        }
        PendingReply slot = new PendingReply(request);
        pending.add(slot);
        begin();
        if (pending.size() >= maxPendingReplies) {
            connection.pauseReading(ChannelConnection.ReadPause.REPLIES);
        }
        return slot;
    }

    /** Writes the replies at the head of the queue that are ready. Event loop. */
    private void writeReady() {
        while (!pending.isEmpty() && pending.peek().ready) {
            PendingReply slot = pending.poll();
            try {
                write(slot.request, slot.reply, slot.failure);
            } finally {
                end(1);
            }
        }
        if (pending.isEmpty() && afterReplies != null) {
            Runnable start = afterReplies;
            afterReplies = null;
            start.run();
        }
        if (pending.size() < maxPendingReplies / 2 + 1) {
            connection.resumeReading(ChannelConnection.ReadPause.REPLIES);
        }
    }

    private void write(FrameHeader request, Object reply, Failure failure) {
        if (failure != null) {
            fail(request, failure);
        } else {
            reply(request, reply);
        }
    }

    private void onEventLoop(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
        } else {
            try {
                ctx.executor().execute(task);
            } catch (RejectedExecutionException shuttingDown) {
                // the connection is going away with its event loop: nobody is left to read the reply
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pending != null) {
            pending.clear(); // replies are plain objects, not buffers: dropping them is enough
        }
        afterReplies = null;
        // Nobody is left to read what is still in flight: a drain need not wait for it.
        inactive = true;
        end(inFlightHere);
        ctx.fireChannelInactive();
    }

    /** Counts one request of this connection in flight. Event loop. */
    private void begin() {
        if (!inactive) {
            inFlightHere++;
            inFlight.started();
        }
    }

    /** Ends up to {@code requests} of this connection's counted requests (none once given back). Event loop. */
    private void end(int requests) {
        int ended = Math.min(requests, inFlightHere);
        inFlightHere -= ended;
        inFlight.finished(ended);
    }

    /** A request's place in the reply order. Event loop only. */
    private static final class PendingReply {
        final FrameHeader request;
        Object reply;
        Failure failure;
        boolean ready;

        PendingReply(FrameHeader request) {
            this.request = request;
        }

        void complete(Object reply, Failure failure) {
            this.reply = reply;
            this.failure = failure;
            this.ready = true;
        }
    }

    private void reply(FrameHeader request, Object reply) {
        if (reply != null) {
            connection.post(reply, request.version(), request.serializerId());
        }
    }

    private void fail(FrameHeader request, Failure failure) {
        if (metrics != null) {
            metrics.failed(failure.kind());
        }
        Throwable cause = failure.cause();
        if (log.isDebugEnabled()) {
            log.debug("[{}] {} failed: {}{}", connection.id(), failure.commandName(), failure.kind(),
                    cause == null ? "" : " (" + cause + ")");
        }
        Object reply;
        try {
            reply = errors.toReply(connection, failure);
        } catch (RuntimeException e) {
            if (metrics != null) {
                metrics.errorHandlerFailed();
            }
            log.warn("[{}] error handler failed on {} {}", connection.id(), failure.commandName(), failure.kind(), e);
            return;
        }
        if (reply == null) {
            if (!reportedUnanswered) {
                reportedUnanswered = true;
                ChannelLog.report(log, ctx.channel(), "[{}] {} got no reply: {}{} (further ones on this connection "
                        + "at DEBUG)", connection.id(), failure.commandName(), failure.kind(),
                        cause == null ? "" : " (" + cause.getMessage() + ")");
            }
            return;
        }
        reply(request, reply);
    }

    private static Failure failure(Failure.Kind kind, Inbound.Decoded decoded, Throwable cause) {
        return new Failure(kind, decoded.header().command(), decoded.type().type(), decoded.packet(), unwrap(cause));
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * One pass through the interceptors; allocated per call only when interceptors are configured. Checks the
     * contract the {@link Interceptor} Javadoc states: each interceptor calls {@code proceed()} exactly once (or
     * throws), and a breach names the interceptor.
     */
    private final class Chain implements Interceptor.Invocation {
        private final HandlerBinding binding;
        private final Object packet;
        private final int index;
        private int proceeded; // calls of proceed() on this link; the one thread running the chain touches it

        Chain(HandlerBinding binding, Object packet, int index) {
            this.binding = binding;
            this.packet = packet;
            this.index = index;
        }

        @Override
        public Connection connection() {
            return connection;
        }

        @Override
        public Object packet() {
            return packet;
        }

        @Override
        public Object proceed() throws Exception {
            if (++proceeded > 1) {
                throw new IllegalStateException("interceptor " + name(index - 1)
                        + " must call proceed() exactly once; it called it again");
            }
            if (index == interceptors.length) {
                return binding.invoker().invoke(packet, connection);
            }
            Chain next = new Chain(binding, packet, index + 1);
            Object result = interceptors[index].intercept(next);
            if (next.proceeded == 0) {
                throw new IllegalStateException("interceptor " + name(index)
                        + " must call proceed() exactly once (or throw); it returned without calling it");
            }
            return result;
        }
    }

    private String name(int interceptor) {
        return interceptors[interceptor].getClass().getName();
    }
}
