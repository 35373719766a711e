package dev.switchboard.framework.testing;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.internal.codec.Outbound;
import dev.switchboard.framework.internal.codec.PacketEncoder;
import dev.switchboard.framework.internal.transport.ChannelConnection;
import dev.switchboard.framework.internal.transport.SlowConsumerGuard;
import dev.switchboard.framework.wire.FrameHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A framework {@link Connection} on an {@link EmbeddedChannel}, for testing application code that writes to
 * connections (delivery, pushes) without a server: every interleaving is driven by hand. Tasks the code schedules
 * on the connection run when a {@code written...} method or {@link #runPendingTasks()} is called.
 *
 * <p>Two kinds: {@link #packets()} keeps what is written as packets (as the server's slow-consumer guard sees
 * them); {@link #frames(WireCodec)} runs the framework's encoder, so what is written are frame bytes.
 */
public final class TestConnection implements AutoCloseable {

    private static final int MAX_BACKLOG = 1 << 20;

    private final EmbeddedChannel channel;
    private final ChannelConnection connection;
    private ChannelOutboundHandlerAdapter peerNotReading; // null while the peer reads

    private TestConnection(EmbeddedChannel channel) {
        this.channel = channel;
        this.connection = ChannelConnection.attach(channel, null, 2, 1);
    }

    /** A connection whose writes are kept as packets, behind the server's slow-consumer guard. */
    public static TestConnection packets() {
        return new TestConnection(new EmbeddedChannel(new SlowConsumerGuard(MAX_BACKLOG)));
    }

    /** A connection whose writes are encoded into frames by the framework's encoder for {@code codec}'s types. */
    public static TestConnection frames(WireCodec codec) {
        return new TestConnection(new EmbeddedChannel(new PacketEncoder(codec.registry(), MAX_BACKLOG)));
    }

    /** The connection the code under test is given. */
    public Connection connection() {
        return connection;
    }

    /** As if a frame with this header had arrived: replies and pushes then use its version and serializer. */
    public void received(FrameHeader header) {
        connection.frameReceived(header);
    }

    /** Sets the outbound buffer's water marks, in bytes: low 1 and high 2 make any frame cross the high one. */
    public void waterMarks(int low, int high) {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(low, high));
    }

    /** Makes the connection unwritable or writable again, as a full or drained outbound buffer would. */
    public void writable(boolean writable) {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
        channel.runPendingTasks();
    }

    /** The peer stops reading: writes stay in the outbound buffer (and count against the water marks). */
    public void peerStopsReading() {
        if (peerNotReading == null) {
            peerNotReading = new ChannelOutboundHandlerAdapter() {
                @Override
                public void flush(ChannelHandlerContext ctx) {
                    // held, as by a peer that does not read
                }
            };
            channel.pipeline().addFirst(peerNotReading);
        }
    }

    /** The peer reads again: what was held is flushed and the buffer drains. */
    public void peerReads() {
        if (peerNotReading != null) {
            channel.pipeline().remove(peerNotReading);
            peerNotReading = null;
            channel.flush();
        }
    }

    /** Runs the tasks scheduled on the connection's event loop. */
    public void runPendingTasks() {
        channel.runPendingTasks();
    }

    /** Runs pending tasks, then takes every packet written so far (a {@link #packets()} connection). */
    public List<Object> writtenPackets() {
        channel.runPendingTasks();
        List<Object> packets = new ArrayList<>();
        for (Object written; (written = channel.readOutbound()) != null; ) {
            packets.add(((Outbound) written).packet());
        }
        return packets;
    }

    /**
     * Runs pending tasks, then takes the next frame written (a {@link #frames} connection), or null; the caller
     * releases it.
     */
    public ByteBuf nextFrame() {
        channel.runPendingTasks();
        return channel.readOutbound();
    }

    /** Closes the channel and releases whatever it still holds. */
    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}
