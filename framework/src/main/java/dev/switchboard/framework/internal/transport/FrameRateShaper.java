package dev.switchboard.framework.internal.transport;

import dev.switchboard.framework.internal.transport.ChannelConnection.ReadPause;
import io.github.bucket4j.Bucket;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Shapes a connection's inbound frames to a rate: every complete frame takes a token (Bucket4j), whatever becomes
 * of it later (refused by the auth gate, malformed, unknown), and when the bucket is empty reading pauses until a
 * token is back. Nothing is dropped and nothing is logged: a flooding peer is simply read more slowly, at no cost to
 * anyone else, and the kernel's buffers push back on it. Sits right after the frame decoder. Stateful: one per
 * channel; event loop only.
 */
public final class FrameRateShaper extends ChannelInboundHandlerAdapter {

    private final Bucket bucket;
    private boolean waiting;

    public FrameRateShaper(int perSecond, int burst) {
        this(perSecond, burst, System::nanoTime);
    }

    /** With a clock of nanoseconds, for tests (EmbeddedChannel's scheduled tasks use the same fake time). */
    public FrameRateShaper(int perSecond, int burst, LongSupplier nanos) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("frame rate needs perSecond >= 1 and burst >= 1: " + perSecond + ", "
                    + burst);
        }
        this.bucket = Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
                .withCustomTimePrecision(new TickerTimeMeter(nanos))
                .build();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!bucket.tryConsume(1)) {
            // Already read, so it goes on, but it is paid for: the balance goes negative and reading waits until
            // it is back above zero, which keeps the average at the rate however many frames one read brought.
            bucket.consumeIgnoringRateLimits(1);
        }
        if (!waiting && bucket.getAvailableTokens() < 0) {
            waiting = true;
            ChannelConnection.of(ctx.channel()).pauseReading(ReadPause.RATE);
            resumeOncePaid(ctx);
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Resumes reading once the balance is back above zero. The rest of the read that crossed the limit is still
     * being passed on (and paid for) after the pause began, so the wait is checked again when it ends rather than
     * trusted: resuming on the debt seen at the first frame over the limit let one more whole read in per pause.
     */
    private void resumeOncePaid(ChannelHandlerContext ctx) {
        long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        if (nanos > 0) {
            ctx.executor().schedule(() -> resumeOncePaid(ctx), nanos, TimeUnit.NANOSECONDS);
            return;
        }
        waiting = false;
        ChannelConnection.of(ctx.channel()).resumeReading(ReadPause.RATE);
    }
}
