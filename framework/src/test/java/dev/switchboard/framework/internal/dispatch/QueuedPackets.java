package dev.switchboard.framework.internal.dispatch;

import dev.switchboard.framework.internal.transport.PipelineNames;
import io.netty.channel.Channel;
import java.util.concurrent.ExecutionException;

/** For tests outside this package: how many packets wait in a channel's {@link InboundSequencer}. */
public final class QueuedPackets {

    private QueuedPackets() {}

    /** Packets waiting in the channel's sequencer, read on its event loop; 0 once the channel has none. */
    public static int on(Channel channel) {
        try {
            return channel.eventLoop().submit(() -> {
                InboundSequencer sequencer = (InboundSequencer) channel.pipeline().get(PipelineNames.ORDER);
                return sequencer == null ? 0 : sequencer.waiting();
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }
}
