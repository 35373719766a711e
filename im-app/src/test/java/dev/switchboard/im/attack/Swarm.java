package dev.switchboard.im.attack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Many attacking connections driven by the test's own thread over non-blocking sockets, so that an attack with
 * fifty connections adds no thread to the JVM whose threads are counted. Each {@link Peer} writes what it was given
 * as fast as the server reads it, or trickles bytes at a pace; parses the frames it receives; and notes when the
 * server closed it. Nothing happens outside {@link #runUntil}.
 */
final class Swarm implements AutoCloseable {

    private static final int MAGIC = 0x12345678;
    private static final int HEADER_LENGTH = 11;
    /** Replies kept per peer; beyond it they are only counted, so a flood does not grow the measured heap. */
    private static final int KEPT_REPLIES = 32;

    /** One frame received. */
    record Reply(int version, int serializer, int command, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One attacking connection. */
    final class Peer {
        private final SocketChannel channel;
        private final SelectionKey key;
        private final long openedNanos = System.nanoTime();
        private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
        private ByteBuffer in = ByteBuffer.allocate(4_096);
        private final List<Reply> replies = new ArrayList<>();
        private final Map<Integer, Integer> byCommand = new HashMap<>();
        private int received;
        private byte[] trickle;
        private int trickled;
        private long trickleEveryNanos;
        private long nextTrickleNanos;
        private long sent;
        private long closedNanos = -1;

        private Peer(SocketChannel channel) throws IOException {
            this.channel = channel;
            this.key = channel.register(selector, SelectionKey.OP_READ, this);
        }

        /** Queues bytes to write as fast as the server takes them. */
        Peer send(byte[] bytes) {
            out.add(ByteBuffer.wrap(bytes));
            if (!isClosed()) {
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            }
            return this;
        }

        /** Writes these bytes one at a time, one every {@code every}, starting now. */
        Peer trickle(byte[] bytes, Duration every) {
            trickle = bytes;
            trickled = 0;
            trickleEveryNanos = every.toNanos();
            nextTrickleNanos = System.nanoTime();
            return this;
        }

        boolean isClosed() {
            return closedNanos >= 0;
        }

        /** How long the connection was open before the server closed it. */
        Duration openFor() {
            if (!isClosed()) {
                throw new IllegalStateException("still open");
            }
            return Duration.ofNanos(closedNanos - openedNanos);
        }

        /** Frames received. */
        int received() {
            return received;
        }

        /** Frames received with this command code. */
        int received(int command) {
            return byCommand.getOrDefault(command, 0);
        }

        /** The first frames received (up to {@value #KEPT_REPLIES}). */
        List<Reply> replies() {
            return List.copyOf(replies);
        }

        long sent() {
            return sent;
        }

        int trickled() {
            return trickled;
        }

        private void closed() {
            if (closedNanos < 0) {
                closedNanos = System.nanoTime();
            }
            key.cancel();
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing our end of a connection the server already closed
            }
        }

        private void onReadable() {
            try {
                while (true) {
                    if (!in.hasRemaining()) {
                        in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
                    }
                    int read = channel.read(in);
                    if (read < 0) {
                        closed();
                        return;
                    }
                    if (read == 0) {
                        break;
                    }
                }
            } catch (IOException reset) {
                closed();
                return;
            }
            in.flip();
            while (in.remaining() >= HEADER_LENGTH) {
                int at = in.position();
                if (in.getInt(at) != MAGIC) {
                    throw new AssertionError("the server wrote magic " + Integer.toHexString(in.getInt(at)));
                }
                int length = in.getInt(at + 7);
                if (in.remaining() < HEADER_LENGTH + length) {
                    break;
                }
                byte[] body = new byte[length];
                in.get(at + HEADER_LENGTH, body);
                Reply reply = new Reply(in.get(at + 4), in.get(at + 5), in.get(at + 6) & 0xFF, body);
                in.position(at + HEADER_LENGTH + length);
                received++;
                byCommand.merge(reply.command(), 1, Integer::sum);
                if (replies.size() < KEPT_REPLIES) {
                    replies.add(reply);
                }
            }
            in.compact();
        }

        private void onWritable() {
            try {
                while (!out.isEmpty()) {
                    ByteBuffer next = out.peek();
                    sent += channel.write(next);
                    if (next.hasRemaining()) {
                        return; // the socket is full: wait for OP_WRITE
                    }
                    out.poll();
                }
                key.interestOps(SelectionKey.OP_READ);
            } catch (IOException reset) {
                closed();
            }
        }

        private void trickleIfDue(long now) {
            if (trickle == null || trickled >= trickle.length || now < nextTrickleNanos || isClosed()) {
                return;
            }
            try {
                int wrote = channel.write(ByteBuffer.wrap(trickle, trickled, 1));
                trickled += wrote;
                sent += wrote;
                nextTrickleNanos = now + trickleEveryNanos;
            } catch (IOException reset) {
                closed();
            }
        }
    }

    private final int port;
    private final Selector selector;
    private final List<Peer> peers = new ArrayList<>();

    Swarm(int port) throws IOException {
        this.port = port;
        this.selector = Selector.open();
    }

    /** Connects from 127.0.0.1. */
    Peer connect() {
        return connect("127.0.0.1");
    }

    /** Connects from a given loopback address (any of 127.0.0.0/8 on Linux), as another host would. */
    Peer connect(String localAddress) {
        try {
            SocketChannel channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.bind(new InetSocketAddress(localAddress, 0));
            channel.connect(new InetSocketAddress("127.0.0.1", port));
            channel.configureBlocking(false);
            Peer peer = new Peer(channel);
            peers.add(peer);
            return peer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect from " + localAddress, e);
        }
    }

    List<Peer> peers() {
        return List.copyOf(peers);
    }

    /** Whether every peer satisfies the condition. */
    boolean all(Predicate<Peer> condition) {
        return peers.stream().allMatch(condition);
    }

    /** Bytes written by every peer together. */
    long sent() {
        return peers.stream().mapToLong(Peer::sent).sum();
    }

    /** Drives every peer until {@code done}, failing after {@code limit}. */
    void runUntil(String what, BooleanSupplier done, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit + " waiting until " + what + ": " + this);
            }
            selector.select(5);
            for (SelectionKey key : selector.selectedKeys()) {
                Peer peer = (Peer) key.attachment();
                if (key.isValid() && key.isReadable()) {
                    peer.onReadable();
                }
                if (key.isValid() && key.isWritable()) {
                    peer.onWritable();
                }
            }
            selector.selectedKeys().clear();
            long now = System.nanoTime();
            for (Peer peer : peers) {
                peer.trickleIfDue(now);
            }
        }
    }

    /** Drives every peer for this long. */
    void runFor(Duration time) throws IOException {
        long until = System.nanoTime() + time.toNanos();
        runUntil("never", () -> System.nanoTime() >= until, time.plusSeconds(1));
    }

    /** How the peers stand, for failure messages. */
    @Override
    public String toString() {
        long closed = peers.stream().filter(Peer::isClosed).count();
        IntSummaryStatistics received = peers.stream().mapToInt(Peer::received).summaryStatistics();
        return peers.size() + " peers, " + closed + " closed, " + sent() + " bytes sent, frames received per peer "
                + received.getMin() + " to " + received.getMax();
    }

    @Override
    public void close() throws IOException {
        for (Peer peer : peers) {
            peer.channel.close();
        }
        selector.close();
    }
}
