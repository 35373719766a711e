package dev.switchboard.framework.internal.dispatch;

import dev.switchboard.framework.internal.transport.ChannelConnection;
import dev.switchboard.framework.internal.transport.ChannelConnection.ReadPause;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;

/**
 * Keeps a connection's packets in order around blocking handlers: while one runs, later packets wait here (before
 * the authentication gate, so a packet pipelined behind a blocking login is judged after the login). Reading stops
 * once {@code maxQueued} packets wait. Stateful, one per channel, event loop only.
 */
public final class InboundSequencer extends ChannelInboundHandlerAdapter {

    private final int maxQueued;
    private static final ArrayDeque<Object> NONE = new ArrayDeque<>(0);
    // Allocated on first use: most connections never wait, and idle connections should cost little heap.
    private ArrayDeque<Object> waiting = NONE;
    private ChannelHandlerContext ctx;
    private boolean held;

    public InboundSequencer(int maxQueued) {
        if (maxQueued < 1) {
            throw new IllegalArgumentException("maxQueued < 1: " + maxQueued);
        }
        this.maxQueued = maxQueued;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (held || !waiting.isEmpty()) {
            if (waiting == NONE) {
                waiting = new ArrayDeque<>();
            }
            waiting.add(msg);
            if (waiting.size() >= maxQueued) {
                ChannelConnection.of(ctx.channel()).pauseReading(ReadPause.ORDERING);
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Holds further packets until {@link #release()}. */
    void hold() {
        held = true;
    }

    /** Passes on waiting packets until one of them holds again. */
    void release() {
        held = false;
        while (!held && ctx.channel().isActive()) {
            Object next = waiting.poll();
            if (next == null) {
                break;
            }
            ctx.fireChannelRead(next);
        }
        if (waiting.size() < maxQueued) {
            ChannelConnection.of(ctx.channel()).resumeReading(ReadPause.ORDERING);
        }
    }

    /** Packets waiting, for tests and metrics. */
    int waiting() {
        return waiting.size();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Waiting packets are plain objects (no buffers): dropping them is enough.
        waiting.clear();
        ctx.fireChannelInactive();
    }
}
