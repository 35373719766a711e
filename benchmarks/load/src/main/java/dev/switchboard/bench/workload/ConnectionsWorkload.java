package dev.switchboard.bench.workload;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.switchboard.bench.client.BenchClient;
import dev.switchboard.bench.client.ClientListener;
import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.client.LoopbackSources;
import dev.switchboard.bench.measure.LatencyRecorder;
import dev.switchboard.bench.measure.ServerStats;
import dev.switchboard.bench.protocol.LoginRequest;
import dev.switchboard.bench.target.ServerAddresses;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Opens many logged-in connections that then sit idle, sending only heartbeats, and asks the server for its
 * connection count and memory (its admin listener's {@code POST /gc}) before and after, to report what one idle
 * connection costs it.
 * Connections are spread over source addresses 127.0.0.2, 127.0.0.3, ... to get past the ephemeral port range.
 */
public final class ConnectionsWorkload implements Workload {

    private static final long OPEN_TIMEOUT_SECONDS = 300;
    /** Descriptors this JVM needs besides the connections: jars, selectors, the admin connection. */
    private static final long DESCRIPTOR_HEADROOM = 256;

    private final ConnectionsConfig config;

    public ConnectionsWorkload(ConnectionsConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "connections";
    }

    @Override
    public ConnectionsResult run(ClientTransport transport, ServerAddresses servers) throws Exception {
        if (servers.size() != 1) {
            throw new IllegalArgumentException("connections reads one server's heap and RSS per connection; give it"
                    + " one server, not " + servers.size());
        }
        InetSocketAddress server = servers.first();
        requireDescriptors();
        UserNames names = UserNames.fresh();
        AtomicReferenceArray<BenchClient> clients = new AtomicReferenceArray<>(config.connections());
        try {
            ServerStats before = ServerStats.afterGc(config.admin());
            LatencyRecorder openLatency = new LatencyRecorder();
            openLatency.measureFrom(System.nanoTime());
            AtomicInteger failed = new AtomicInteger();
            AtomicReference<String> firstFailure = new AtomicReference<>();
            long start = System.nanoTime();
            BoundedConcurrency.run(config.connections(), config.concurrency(), i -> {
                long begun = System.nanoTime();
                LoginRequest login = LoginRequest.withPassword(names.name("c", i), Session.PASSWORD);
                InetSocketAddress local = LoopbackSources.address(i / config.perSourceAddress());
                return Session.open(transport, server, local, config.client(), ClientListener.NONE, login)
                        .handle((session, failure) -> {
                            if (failure != null) {
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, String.valueOf(failure));
                            } else {
                                openLatency.record(begun, System.nanoTime());
                                clients.set(i, session.client());
                            }
                            return null;
                        });
            }).get(OPEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            double openSeconds = (System.nanoTime() - start) / 1e9;
            int opened = config.connections() - failed.get();

            TimeUnit.NANOSECONDS.sleep(config.hold().toNanos());
            ServerStats after = ServerStats.afterGc(config.admin());
            int dropped = 0;
            long heartbeats = 0;
            for (int i = 0; i < clients.length(); i++) {
                BenchClient client = clients.get(i);
                if (client != null) {
                    dropped += client.closedByPeer() ? 1 : 0;
                    heartbeats += client.heartbeatResponses();
                }
            }
            return ConnectionsResult.of(config.connections(), opened, failed.get(), dropped,
                    config.sourceAddresses(), openSeconds, openLatency.drain(), heartbeats, before, after,
                    firstFailure.get());
        } finally {
            closeAll(clients);
        }
    }

    private static void closeAll(AtomicReferenceArray<BenchClient> clients) throws Exception {
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        for (int i = 0; i < clients.length(); i++) {
            BenchClient client = clients.get(i);
            if (client != null) {
                closed.add(client.close());
            }
        }
        CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    /** Fails early, naming the limit, rather than with thousands of "too many open files". */
    private void requireDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof UnixOperatingSystemMXBean unix)) {
            return;
        }
        long perConnection = config.serverInProcess() ? 2 : 1;
        long needed = config.connections() * perConnection + DESCRIPTOR_HEADROOM;
        long available = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount();
        if (needed > available) {
            throw new IllegalStateException(String.format(
                    "%,d connections need about %,d file descriptors in this JVM%s but only %,d are free (limit %,d):"
                            + " raise 'ulimit -n', open fewer, or run the server in its own process",
                    config.connections(), needed, config.serverInProcess() ? " (the server runs in it too)" : "",
                    available, unix.getMaxFileDescriptorCount()));
        }
    }
}
