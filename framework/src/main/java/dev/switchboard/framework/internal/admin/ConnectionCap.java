package dev.switchboard.framework.internal.admin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Keeps the admin port at {@code max} connections without letting whoever holds them shut everyone else out: a
 * connection past the cap closes the oldest one that has no request being answered (idle, trickling a request, or
 * not reading its answers), and is itself closed at once only while every connection has an endpoint answering it.
 * Refusing the newcomer instead let anyone who could connect hold the port with 16 idle sockets, each kept for the
 * 30 s idle timeout by a byte now and then, and a health probe then got no answer. Now holding it takes a stream of
 * new connections fast enough to evict a probe's before its request is read, and the probe's, being the newest, is
 * the last to go. Shared by the listener's connections; synchronized although they all run on its one event loop,
 * because tests drive it from EmbeddedChannels.
 */
@ChannelHandler.Sharable
final class ConnectionCap extends ChannelInboundHandlerAdapter {

    private final int max;
    private final Set<Channel> open = new LinkedHashSet<>(); // oldest first

    ConnectionCap(int max) {
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        Admission admission = admit(ctx.channel());
        if (admission instanceof Admission.Refused) {
            ctx.close();
            return;
        }
        if (admission instanceof Admission.Evicting evicting) {
            evicting.oldest().close();
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        synchronized (this) {
            open.remove(ctx.channel());
        }
        super.channelInactive(ctx);
    }

    /** What a new connection gets: a place, a place another connection gives up, or none. */
    private sealed interface Admission {
        record Admitted() implements Admission {}

        record Evicting(Channel oldest) implements Admission {}

        record Refused() implements Admission {}
    }

    private synchronized Admission admit(Channel channel) {
        if (open.size() < max) {
            open.add(channel);
            return new Admission.Admitted();
        }
        for (Channel candidate : open) {
            AdminRequestHandler handler = candidate.pipeline().get(AdminRequestHandler.class);
            if (handler == null || !handler.answering()) {
                open.remove(candidate);
                open.add(channel);
                return new Admission.Evicting(candidate);
            }
        }
        return new Admission.Refused();
    }
}
