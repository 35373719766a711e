package dev.switchboard.framework.transport;

import dev.switchboard.framework.transport.ChannelConnection.ReadPause;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protects the server from peers that do not read. While the channel is unwritable (over the high water mark) it
 * stops reading from the peer, so a client cannot make us produce replies it will not take; if the outbound
 * backlog then stays above {@code maxBacklogBytes} for {@code grace} (sampled five times, so a burst that drains
 * in between is forgiven) the connection is closed. Stateful: one per channel.
 */
public final class SlowConsumerGuard extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SlowConsumerGuard.class);
    private static final int SAMPLES = 5;

    private final long maxBacklogBytes;
    private final long sampleNanos;
    private ScheduledFuture<?> sampler;
    private int samplesOver;

    public SlowConsumerGuard(long maxBacklogBytes, Duration grace) {
        if (maxBacklogBytes < 0) {
            throw new IllegalArgumentException("maxBacklogBytes < 0: " + maxBacklogBytes);
        }
        this.maxBacklogBytes = maxBacklogBytes;
        this.sampleNanos = Math.max(1, grace.toNanos() / SAMPLES);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ChannelConnection connection = ChannelConnection.of(ctx.channel());
        if (ctx.channel().isWritable()) {
            connection.resumeReading(ReadPause.BACKPRESSURE);
            stopSampling();
        } else {
            connection.pauseReading(ReadPause.BACKPRESSURE);
            if (sampler == null) {
                samplesOver = 0;
                sampler = ctx.executor().scheduleAtFixedRate(() -> sample(ctx), sampleNanos, sampleNanos,
                        TimeUnit.NANOSECONDS);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void sample(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        long backlog = buffer == null ? 0 : buffer.totalPendingWriteBytes();
        samplesOver = backlog > maxBacklogBytes ? samplesOver + 1 : 0;
        if (samplesOver >= SAMPLES) {
            log.info("[{}] closing: slow consumer, {} bytes unsent (limit {})", ctx.channel().id().asShortText(),
                    backlog, maxBacklogBytes);
            stopSampling();
            ctx.close();
        }
    }

    private void stopSampling() {
        if (sampler != null) {
            sampler.cancel(false);
            sampler = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stopSampling();
        ctx.fireChannelInactive();
    }
}
