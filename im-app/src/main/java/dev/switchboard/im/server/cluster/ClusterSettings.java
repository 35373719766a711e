package dev.switchboard.im.server.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a node takes part in a cluster.
 *
 * @param nodeId this node's name, unique in the cluster: 1 to 64 of {@code [A-Za-z0-9._-]}
 * @param redisUri the Redis server holding the registry, e.g. {@code redis://127.0.0.1:6379}
 * @param heartbeat how often the node refreshes its liveness key and reads which nodes are alive
 * @param entryTtl how long the node's liveness key outlives its last refresh: a killed node's registry entries
 *     stop counting after it
 * @param catchUp how often the node compares each local user's newest seq in the store with what its devices have,
 *     the backstop for hints that never arrived
 */
public record ClusterSettings(String nodeId, URI redisUri, Duration heartbeat, Duration entryTtl, Duration catchUp) {

    /** Default refresh interval. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(2);
    /** Default liveness lifetime: five heartbeats, so one or two slow refreshes do not drop a live node. */
    public static final Duration DEFAULT_ENTRY_TTL = Duration.ofSeconds(10);
    /** Default catch-up interval: the longest a delivery waits when every hint about it was lost. */
    public static final Duration DEFAULT_CATCH_UP = Duration.ofSeconds(5);

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public ClusterSettings {
        Objects.requireNonNull(nodeId, "nodeId");
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("node id must be 1 to 64 of A-Z a-z 0-9 . _ -: " + nodeId);
        }
        Objects.requireNonNull(redisUri, "redisUri");
        if (!"redis".equals(redisUri.getScheme()) && !"rediss".equals(redisUri.getScheme())) {
            throw new IllegalArgumentException("the Redis address must be redis://HOST:PORT or rediss://HOST:PORT: "
                    + redisUri);
        }
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(entryTtl, "entryTtl");
        Objects.requireNonNull(catchUp, "catchUp");
        if (heartbeat.isNegative() || heartbeat.isZero() || catchUp.isNegative() || catchUp.isZero()) {
            throw new IllegalArgumentException("heartbeat and catch-up intervals must be positive");
        }
        if (entryTtl.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("entry TTL " + entryTtl + " must be at least two heartbeats ("
                    + heartbeat + ")");
        }
    }

    /** A node with the default intervals. */
    public static ClusterSettings of(String nodeId, URI redisUri) {
        return new ClusterSettings(nodeId, redisUri, DEFAULT_HEARTBEAT, DEFAULT_ENTRY_TTL, DEFAULT_CATCH_UP);
    }

    /** The same node with other intervals (tests use short ones). */
    public ClusterSettings withIntervals(Duration newHeartbeat, Duration newEntryTtl, Duration newCatchUp) {
        return new ClusterSettings(nodeId, redisUri, newHeartbeat, newEntryTtl, newCatchUp);
    }
}
