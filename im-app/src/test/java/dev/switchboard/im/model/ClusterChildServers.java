package dev.switchboard.im.model;

import dev.switchboard.im.server.cluster.TestRedis;
import dev.switchboard.im.store.postgres.TestPostgres;
import dev.switchboard.im.testing.AdminStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Three cluster nodes, each the real server in a child JVM, on a real PostgreSQL (one server for the test JVM, a
 * schema per run) and a real Redis. A slot's sockets always go to the same node ({@link Op.KillNode#holds}), so a
 * node kill closes exactly the sockets the model expects. Every other node kill first restarts Redis empty under the
 * running nodes, which must register their users again. A restart stops every node (all SIGTERM or all SIGKILL) and
 * starts them again with Redis restarted empty meanwhile.
 */
final class ClusterChildServers implements ServerUnderTest {

    static final int NODES = StoreKind.CLUSTER_CHILD.killableNodes;

    private final TestRedis redis = TestRedis.start();
    private final List<ChildJvmServer> nodes = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private int kills;

    private ClusterChildServers(String postgresUrl) throws Exception {
        try {
            for (int i = 0; i < NODES; i++) {
                // Short intervals: what a Redis restart or a killed node costs must be made up within a step's wait.
                nodes.add(ChildJvmServer.spawn(List.of("--store", "postgres", "--postgres", postgresUrl,
                        "--cluster", "--node-id", "node" + i, "--redis", redis.uri().toString(),
                        "--cluster-heartbeat", "PT0.5S", "--cluster-entry-ttl", "PT2S", "--cluster-catch-up",
                        "PT1S")));
            }
            for (ChildJvmServer node : nodes) {
                node.awaitReady();
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    static ClusterChildServers start() throws Exception {
        return new ClusterChildServers(SharedPostgres.server().freshSchema());
    }

    @Override
    public int port() {
        return nodes.get(Math.floorMod(next.getAndIncrement(), NODES)).port();
    }

    @Override
    public int port(int slot) {
        return nodes.get(Math.floorMod(slot, NODES)).port();
    }

    @Override
    public int adminPort() {
        return nodes.get(0).adminPort();
    }

    @Override
    public long openConnections() throws Exception {
        long open = 0;
        for (ChildJvmServer node : nodes) {
            open += AdminStats.fetch(node.adminPort()).connections();
        }
        return open;
    }

    @Override
    public void killNode(int node) throws Exception {
        if (kills++ % 2 == 1) {
            redis.stop();
            redis.restart();
        }
        nodes.get(node).restart(true);
    }

    @Override
    public void restart(boolean kill) throws Exception {
        for (ChildJvmServer node : nodes) {
            node.signal(kill);
        }
        for (ChildJvmServer node : nodes) {
            node.awaitExit();
        }
        redis.stop();
        redis.restart();
        for (ChildJvmServer node : nodes) {
            node.spawn();
        }
        for (ChildJvmServer node : nodes) {
            node.awaitReady();
        }
    }

    @Override
    public void close() {
        nodes.forEach(ChildJvmServer::close);
        redis.close();
    }

    /** One PostgreSQL server for every run of the JVM (starting one takes seconds); stopped when the JVM exits. */
    private static final class SharedPostgres {

        private static TestPostgres server;

        private SharedPostgres() {}

        static synchronized TestPostgres server() {
            if (server == null) {
                try {
                    server = TestPostgres.start();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                TestPostgres started = server;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException e) {
                        // the JVM is exiting; the temporary directory is all that is left behind
                    }
                }, "model-postgres-stop"));
            }
            return server;
        }
    }
}
