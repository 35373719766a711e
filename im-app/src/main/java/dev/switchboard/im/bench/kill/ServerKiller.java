package dev.switchboard.im.bench.kill;

import dev.switchboard.im.bench.target.RestartableTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Kills the server {@code killEvery} after each time it became ready and restarts it on the same data and port,
 * until the load's deadline or the asked number of kills. The interval is counted from readiness rather than from
 * the previous kill: a restart takes seconds on a small machine, and a fixed period shorter than that would kill
 * servers that never carried load. Runs on the calling thread; the traffic carries on on the clients' loops.
 */
final class ServerKiller {

    private final RestartableTarget server;
    private final KillConfig config;
    private final KillProgress progress;
    private final Consumer<String> log;

    ServerKiller(RestartableTarget server, KillConfig config, KillProgress progress, Consumer<String> log) {
        this.server = server;
        this.config = config;
        this.progress = progress;
        this.log = log;
    }

    /** Kills and restarts until done; returns with the last server up and ready. */
    List<Kill> run(long loadStartNanos) throws IOException, InterruptedException {
        long deadline = loadStartNanos + config.duration().toNanos();
        long readyAt = loadStartNanos;
        long ackedAtReady = progress.acked.sum();
        List<Kill> kills = new ArrayList<>();
        while (config.kills() == 0 || kills.size() < config.kills()) {
            long killAt = readyAt + config.killEvery().toNanos();
            if (killAt - deadline >= 0) {
                sleepUntil(deadline);
                break;
            }
            sleepUntil(killAt);
            long acked = progress.acked.sum();
            long killedAt = System.nanoTime();
            server.kill();
            server.restart();
            readyAt = System.nanoTime();
            Kill kill = new Kill(kills.size() + 1, (killedAt - loadStartNanos) / 1e9, acked - ackedAtReady,
                    TimeUnit.NANOSECONDS.toMillis(readyAt - killedAt));
            ackedAtReady = progress.acked.sum();
            kills.add(kill);
            log.accept(String.format("kill %d at %.1f s: %,d messages acknowledged by the killed server,"
                    + " restarted in %.1f s", kill.number(), kill.atSeconds(), kill.ackedBefore(),
                    kill.restartMillis() / 1000.0));
        }
        return kills;
    }

    private static void sleepUntil(long deadlineNanos) throws InterruptedException {
        for (long left; (left = deadlineNanos - System.nanoTime()) > 0; ) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
    }
}
