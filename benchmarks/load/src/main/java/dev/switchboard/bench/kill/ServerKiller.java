package dev.switchboard.bench.kill;

import dev.switchboard.bench.target.RestartableTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Kills a server {@code killEvery} after every client has logged in again, and restarts it on the same data and
 * port, until the load's deadline or the asked number of kills. With several servers (a cluster's nodes) it kills
 * them in turn, the first, the second, ..., wrapping around, so every node dies and the clients it held fail over
 * to the next; the others carry the load meanwhile. The interval starts when the clients are back
 * rather than at the previous kill or at the server's ready line: a restart takes seconds on a small machine and
 * hundreds of clients take more to resume, and a shorter clock would kill servers that never carried the load. A
 * client that cannot resume within {@link #RESUME_TIMEOUT_NANOS} does not stop the run; the kill records how many
 * were online. Runs on the calling thread; the traffic carries on on the clients' loops.
 */
final class ServerKiller {

    static final long RESUME_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final List<RestartableTarget> servers;
    private final KillConfig config;
    private final KillProgress progress;
    private final int clients;
    private final Consumer<String> log;

    ServerKiller(List<RestartableTarget> servers, KillConfig config, KillProgress progress, int clients,
            Consumer<String> log) {
        this.servers = List.copyOf(servers);
        this.config = config;
        this.progress = progress;
        this.clients = clients;
        this.log = log;
    }

    /** Kills and restarts until done; returns with every server up and ready. */
    List<Kill> run(long loadStartNanos) throws IOException, InterruptedException {
        long deadline = loadStartNanos + config.duration().toNanos();
        long readyAt = loadStartNanos;
        long ackedAtReady = progress.acked.sum();
        List<Kill> kills = new ArrayList<>();
        while (config.kills() == 0 || kills.size() < config.kills()) {
            long resumedAt = awaitAllOnline(readyAt + RESUME_TIMEOUT_NANOS, deadline);
            long killAt = resumedAt + config.killEvery().toNanos();
            if (killAt - deadline >= 0) {
                sleepUntil(deadline);
                break;
            }
            sleepUntil(killAt);
            long acked = progress.acked.sum();
            int online = progress.online.get();
            RestartableTarget server = servers.get(kills.size() % servers.size());
            long killedAt = System.nanoTime();
            server.kill();
            server.restart();
            long ready = System.nanoTime();
            // Clients of a cluster's killed node fail over while it restarts: the time they all were back.
            awaitAllOnline(ready + RESUME_TIMEOUT_NANOS, deadline);
            long allBack = progress.allOnlineAtNanos();
            // 0 if the node held no client (they all had failed over before); -1 if not all are back in time.
            long backMillis = progress.online.get() < clients ? -1
                    : TimeUnit.NANOSECONDS.toMillis(Math.max(0, allBack - killedAt));
            Kill kill = new Kill(kills.size() + 1, server.label(), (killedAt - loadStartNanos) / 1e9,
                    TimeUnit.NANOSECONDS.toMillis(resumedAt - readyAt), online, acked - ackedAtReady,
                    TimeUnit.NANOSECONDS.toMillis(ready - killedAt), backMillis);
            readyAt = ready;
            ackedAtReady = progress.acked.sum();
            kills.add(kill);
            log.accept(String.format("kill %d (%s) at %.1f s: %d of %d clients online, %,d messages acknowledged"
                    + " since the previous restart; restarted in %.1f s; all clients back %s after the kill",
                    kill.number(), kill.server(), kill.atSeconds(), online, clients, kill.ackedBefore(),
                    kill.restartMillis() / 1000.0, backMillis < 0 ? "not within the limit"
                            : String.format("%.2f s", backMillis / 1000.0)));
        }
        return kills;
    }

    /** When every client is logged in, or the earlier of the two limits if that comes first. */
    private long awaitAllOnline(long resumeLimit, long deadline) {
        long limit = resumeLimit - deadline < 0 ? resumeLimit : deadline;
        long now;
        while (progress.online.get() < clients && (now = System.nanoTime()) - limit < 0) {
            LockSupport.parkNanos(Math.min(POLL_NANOS, limit - now));
        }
        return Math.min(System.nanoTime(), limit);
    }

    private static void sleepUntil(long deadlineNanos) throws InterruptedException {
        for (long left; (left = deadlineNanos - System.nanoTime()) > 0; ) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
    }
}
