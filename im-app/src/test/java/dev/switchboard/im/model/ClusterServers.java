package dev.switchboard.im.model;

import dev.switchboard.im.server.ImServer;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.server.cluster.ClusterSettings;
import dev.switchboard.im.server.cluster.TestRedis;
import dev.switchboard.im.store.StoreModule;
import dev.switchboard.im.store.sqlite.SqliteSettings;
import dev.switchboard.im.store.sqlite.SqliteStorage;
import dev.switchboard.im.testing.AdminStats;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Three cluster nodes in the test's JVM on one shared SQLite store and a real Redis: each new connection goes to the next
 * node, so the senders and recipients of a run are spread over the nodes. A restart stops every node (so every
 * connection closes, as the model expects of a restart) and starts them again as new incarnations; every other
 * restart also restarts Redis empty, so the nodes must register their users again.
 */
final class ClusterServers implements ServerUnderTest {

    private static final int NODES = 3;

    /** Shared by the nodes and surviving their restarts, as a database would; SQLite keeps acknowledged entries. */
    private final SqliteStorage store;
    private final TestRedis redis = TestRedis.start();
    private final List<ImServer> nodes = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private int restarts;

    private ClusterServers(Path dataDir) throws Exception {
        store = new SqliteStorage(SqliteSettings.defaults().withDataDir(dataDir));
        store.start();
        startNodes();
    }

    static ClusterServers start(Path dataDir) throws Exception {
        return new ClusterServers(dataDir);
    }

    private void startNodes() {
        for (int i = 0; i < NODES; i++) {
            // Short intervals: a notice lost to a Redis restart must be made up within the driver's step wait.
            ClusterSettings cluster = ClusterSettings.of("node" + i, redis.uri())
                    .withIntervals(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(300));
            ImServerSettings settings = InProcessServer.settings().withCluster(cluster);
            nodes.add(ImServer.start(settings, Clock.systemUTC(), false, StoreModule.shared(store)));
        }
    }

    @Override
    public int port() {
        return nodes.get(Math.floorMod(next.getAndIncrement(), NODES)).port();
    }

    @Override
    public int adminPort() {
        return nodes.get(0).adminPort().orElseThrow();
    }

    @Override
    public long openConnections() throws Exception {
        long open = 0;
        for (ImServer node : nodes) {
            open += AdminStats.fetch(node.adminPort().orElseThrow()).connections();
        }
        return open;
    }

    @Override
    public void restart(boolean kill) {
        if (kill) {
            throw new IllegalArgumentException("in-process nodes cannot be killed");
        }
        nodes.forEach(ImServer::close);
        nodes.clear();
        if (restarts++ % 2 == 1) {
            redis.stop();
            redis.restart();
        }
        startNodes();
    }

    @Override
    public void close() {
        nodes.forEach(ImServer::close);
        redis.close();
        store.stop();
    }
}
