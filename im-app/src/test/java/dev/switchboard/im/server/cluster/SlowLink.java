package dev.switchboard.im.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP link on loopback to a server that holds every byte sent towards the server for a fixed delay (answers
 * come back at once): a node whose commands reach Redis late, as on a loaded machine, to turn a race that CI hit
 * now and then into one that happens every time. Order within a connection is kept.
 */
final class SlowLink implements AutoCloseable {

    private record Chunk(long dueNanos, byte[] bytes) {}

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final long delayNanos;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private SlowLink(URI target, Duration delay) throws IOException {
        this.target = new InetSocketAddress(target.getHost(), target.getPort());
        this.delayNanos = delay.toNanos();
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("slow-link-accept", this::accept);
    }

    static SlowLink to(URI target, Duration delay) {
        try {
            return new SlowLink(target, delay);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The target's URI with this link's port. */
    URI uri(URI target) {
        return URI.create(target.getScheme() + "://127.0.0.1:" + listener.getLocalPort());
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(server);
                BlockingQueue<Chunk> late = new LinkedBlockingQueue<>();
                daemon("slow-link-read", () -> read(client, late));
                daemon("slow-link-write", () -> writeLate(late, server));
                daemon("slow-link-back", () -> copy(server, client));
            }
        } catch (IOException closed) {
            // the link was closed
        }
    }

    private void read(Socket from, BlockingQueue<Chunk> late) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                late.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
            }
        } catch (IOException closed) {
            // either side went away
        }
        late.add(new Chunk(0, null));
    }

    private static void writeLate(BlockingQueue<Chunk> late, Socket to) {
        try (OutputStream out = to.getOutputStream()) {
            while (true) {
                Chunk chunk = late.take();
                if (chunk.bytes() == null) {
                    return;
                }
                long wait = chunk.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // the link's latency itself, not a test waiting
                }
                out.write(chunk.bytes());
                out.flush();
            }
        } catch (IOException | InterruptedException closed) {
            // either side went away
        }
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException closed) {
            // either side went away
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
