package dev.switchboard.bench.workload;

import dev.switchboard.bench.measure.LatencySummary;
import dev.switchboard.bench.measure.ServerStats;
import dev.switchboard.bench.report.BenchResult;
import dev.switchboard.bench.report.ResultLine;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of an idle-connections run. Memory per connection is the server's growth between the two stats
 * requests (each after a GC) divided by the connections opened; heap sizing and allocator caches still move the
 * figures, so read them as estimates.
 *
 * @param requested connections asked for
 * @param opened connections that connected and logged in
 * @param failed connections that could not connect or log in
 * @param droppedWhileHeld opened connections the server closed during the hold
 * @param sourceAddresses source addresses used
 * @param openSeconds time to open them all
 * @param opensPerSecond connects plus logins per second
 * @param openLatency connect start to LoginResponse
 * @param heartbeatResponses heartbeat responses received while holding
 * @param before server stats before opening
 * @param after server stats after the hold
 * @param heapBytesPerConnection server heap growth per opened connection
 * @param rssBytesPerConnection server resident-set growth per opened connection
 * @param firstFailure what the first failed connection died of, or {@code null}
 */
public record ConnectionsResult(int requested, int opened, int failed, int droppedWhileHeld, int sourceAddresses,
        double openSeconds, double opensPerSecond, LatencySummary openLatency, long heartbeatResponses,
        ServerStats before, ServerStats after, long heapBytesPerConnection, long rssBytesPerConnection,
        String firstFailure) implements BenchResult {

    /** The result, with the per-connection figures derived from the two stats. */
    static ConnectionsResult of(int requested, int opened, int failed, int droppedWhileHeld, int sourceAddresses,
            double openSeconds, LatencySummary openLatency, long heartbeatResponses, ServerStats before,
            ServerStats after, String firstFailure) {
        long heapPer = opened == 0 ? 0 : (after.heapUsedBytes() - before.heapUsedBytes()) / opened;
        long rssPer = opened == 0 ? 0 : (after.rssBytes() - before.rssBytes()) / opened;
        return new ConnectionsResult(requested, opened, failed, droppedWhileHeld, sourceAddresses, openSeconds,
                opened / openSeconds, openLatency, heartbeatResponses, before, after, heapPer, rssPer, firstFailure);
    }

    @Override
    public String workload() {
        return "connections";
    }

    @Override
    public double headline() {
        return opensPerSecond;
    }

    @Override
    public String headlineUnit() {
        return "connections/s";
    }

    @Override
    public List<ResultLine> lines() {
        List<ResultLine> lines = new ArrayList<>();
        lines.add(new ResultLine("connections", String.format("%,d of %,d open, %,d failed, over %d source addresses",
                opened, requested, failed, sourceAddresses)));
        lines.add(ResultLine.of("open rate", opensPerSecond, "connect+login/s"));
        lines.add(new ResultLine("open latency", openLatency.describeMillis()));
        lines.add(ResultLine.of("dropped while held", droppedWhileHeld));
        lines.add(ResultLine.of("heartbeat responses", heartbeatResponses));
        lines.add(new ResultLine("server connections", before.connections() + " -> " + after.connections()
                + " (online users " + before.onlineUsers() + " -> " + after.onlineUsers() + ")"));
        lines.add(new ResultLine("server heap", mib(before.heapUsedBytes()) + " -> " + mib(after.heapUsedBytes())
                + String.format(" (%,d bytes/connection)", heapBytesPerConnection())));
        lines.add(new ResultLine("server RSS", mib(before.rssBytes()) + " -> " + mib(after.rssBytes())
                + String.format(" (%,d bytes/connection)", rssBytesPerConnection())));
        return lines;
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    @Override
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (opened == 0) {
            problems.add("no connection opened");
        }
        if (failed > 0) {
            problems.add(failed + " connections failed to open or log in; first: " + firstFailure);
        }
        if (droppedWhileHeld > 0) {
            problems.add(droppedWhileHeld + " connections closed by the server while held");
        }
        return problems;
    }
}
