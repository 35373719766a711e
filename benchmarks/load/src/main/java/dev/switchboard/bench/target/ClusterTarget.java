package dev.switchboard.bench.target;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * N IM servers in child JVMs running as one cluster ({@code server --cluster --node-id nodeK --store postgres
 * --postgres URL --redis URL}), on one database and the Redis of a {@link ClusterServices}, which the caller owns
 * and closes after this. Clients spread over the nodes in order ({@link #addresses()}); each node can be killed and
 * restarted on its own ({@link #nodes()}), as a crashed node is restarted by its supervisor.
 *
 * <p>The nodes start at the same time (a JVM start is seconds; the first to migrate the schema makes the others
 * wait) and stop at the same time. {@link #close()} is for one thread; the accessors for any.
 */
public final class ClusterTarget implements BenchTarget {

    private final List<ChildServerTarget> nodes;
    private final ServerAddresses addresses;

    private ClusterTarget(List<ChildServerTarget> nodes) {
        this.nodes = List.copyOf(nodes);
        this.addresses = new ServerAddresses(nodes.stream().map(ChildServerTarget::address).toList());
    }

    /**
     * Starts {@code specs.size()} nodes, one per spec, and waits for every ready line; if one fails, stops the
     * others and throws its failure.
     */
    static ClusterTarget start(List<ChildServerTarget.Spec> specs) throws IOException, InterruptedException {
        ExecutorService starter = Executors.newFixedThreadPool(specs.size(), runnable -> {
            Thread thread = new Thread(runnable, "bench-cluster-start");
            thread.setDaemon(true);
            return thread;
        });
        List<Future<ChildServerTarget>> starting = new ArrayList<>();
        for (ChildServerTarget.Spec spec : specs) {
            starting.add(starter.submit(() -> ChildServerTarget.start(spec)));
        }
        starter.shutdown();
        List<ChildServerTarget> started = new ArrayList<>();
        Throwable failure = null;
        try {
            for (Future<ChildServerTarget> node : starting) {
                try {
                    started.add(node.get());
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                }
            }
        } catch (InterruptedException e) {
            starter.shutdownNow(); // a start interrupted while waiting for its ready line stops its process
            closeAll(started);
            throw e;
        }
        if (failure != null) {
            closeAll(started);
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
        }
        return new ClusterTarget(started);
    }

    @Override
    public String label() {
        return "cluster (" + nodes.size() + " nodes)";
    }

    /** The first node's. */
    @Override
    public InetSocketAddress address() {
        return addresses.first();
    }

    @Override
    public ServerAddresses addresses() {
        return addresses;
    }

    @Override
    public boolean inProcess() {
        return false;
    }

    /** The nodes, in the order of {@link #addresses()}. */
    public List<RestartableTarget> nodes() {
        return List.copyOf(nodes);
    }

    /** Stops every node at once (each SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() {
        closeAll(nodes);
    }

    private static void closeAll(List<ChildServerTarget> nodes) {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (ChildServerTarget node : nodes) {
            stopping.add(CompletableFuture.runAsync(node::close));
        }
        try {
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            // Each close stops its process whatever happens; a failure here left nothing more to do.
        }
    }
}
