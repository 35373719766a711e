package dev.switchboard.framework.testing;

import io.netty.channel.ChannelHandler;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.SocketAddress;

/**
 * Embedded channels whose peer is an address of the test's choosing, for code that counts or limits per source
 * address. The address is set before the channel registers, so the handlers see it from {@code channelActive}.
 */
public final class EmbeddedChannels {

    private EmbeddedChannels() {}

    /**
     * A registered, active channel from {@code remote} (null: the embedded channel's own, non-IP address) with
     * {@code handler} (usually a {@code ChannelInitializer}) in its pipeline; end it with
     * {@code finishAndReleaseAll()}.
     */
    public static EmbeddedChannel from(SocketAddress remote, ChannelHandler handler) {
        EmbeddedChannel channel = new FromAddress(remote);
        channel.pipeline().addLast(handler);
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException("the embedded channel did not register", e);
        }
        return channel;
    }

    private static final class FromAddress extends EmbeddedChannel {
        private final SocketAddress remote;

        FromAddress(SocketAddress remote) {
            super(DefaultChannelId.newInstance(), false, false); // not registered yet, no disconnect
            this.remote = remote;
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return remote != null ? remote : super.remoteAddress0();
        }
    }
}
