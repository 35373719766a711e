package dev.switchboard.im.model;

import java.nio.file.Path;

/** The servers a run can target, and what each may do between steps. */
enum StoreKind {

    /** In-process, memory store: no restarts (nothing would survive); acknowledged entries are pruned at once. */
    MEMORY("memory", false, false, true),
    /** In-process, SQLite in a temporary data directory, restarted gracefully on the same directory. */
    SQLITE("sqlite", true, false, false),
    /** SQLite in a child JVM, restarted by SIGTERM (graceful) or SIGKILL. */
    SQLITE_CHILD("sqlite-child", true, true, false),
    /**
     * Three cluster nodes in-process on one SQLite store and a real Redis; restarts stop every node. Not the memory
     * store: it prunes an entry as soon as one device acknowledges it, before other nodes' devices read it.
     */
    CLUSTER("cluster", true, false, false),
    /**
     * Three cluster nodes, each a child JVM, on a real PostgreSQL and Redis: between steps one node may be SIGKILLed
     * and started again ({@link Op.KillNode}), and restarts stop every node, by SIGTERM or SIGKILL.
     */
    CLUSTER_CHILD("cluster-child", true, true, false, 3);

    final String id;
    final boolean restarts;
    final boolean kills;
    /** Nodes of separate processes, any one of which may be killed alone; 1 for a single server. */
    final int killableNodes;
    /** Whether acknowledged inbox entries disappear at once, so a backlog may skip acknowledged seqs. */
    final boolean prunesAcked;

    StoreKind(String id, boolean restarts, boolean kills, boolean prunesAcked) {
        this(id, restarts, kills, prunesAcked, 1);
    }

    StoreKind(String id, boolean restarts, boolean kills, boolean prunesAcked, int killableNodes) {
        this.id = id;
        this.restarts = restarts;
        this.kills = kills;
        this.prunesAcked = prunesAcked;
        this.killableNodes = killableNodes;
    }

    static StoreKind of(String id) {
        for (StoreKind kind : values()) {
            if (kind.id.equals(id) || kind.name().equalsIgnoreCase(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("model.store must be memory, sqlite, sqlite-child, cluster or cluster-child, not " + id);
    }

    /** Starts a server of this kind; SQLite keeps its files in {@code dataDir}. */
    ServerUnderTest start(Path dataDir) throws Exception {
        return switch (this) {
            case SQLITE_CHILD -> ChildJvmServer.start(dataDir);
            case CLUSTER -> ClusterServers.start(dataDir);
            case CLUSTER_CHILD -> ClusterChildServers.start();
            default -> InProcessServer.start(id, dataDir);
        };
    }

    @Override
    public String toString() {
        return id;
    }
}
