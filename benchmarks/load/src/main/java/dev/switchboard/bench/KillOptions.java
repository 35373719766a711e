package dev.switchboard.bench;

import dev.switchboard.bench.client.BenchClientSettings;
import dev.switchboard.bench.kill.KillConfig;
import dev.switchboard.bench.target.BenchTarget;
import dev.switchboard.bench.target.ClusterTarget;
import dev.switchboard.bench.target.RestartableTarget;
import dev.switchboard.bench.target.TargetKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The kill-under-load options of the direct and group workloads. */
final class KillOptions {

    /** Default load of a kill run: long enough for a dozen kills at 3 s on a small machine. */
    static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);
    /** Default drain of a kill run: the last server must start, and every client reconnect and catch up. */
    static final Duration DEFAULT_DRAIN = Duration.ofSeconds(30);

    @Option(names = "--kill-every", converter = DurationConverter.class,
            description = "Kill under load: SIGKILL the child server this long (3s) after every client is back on"
                    + " it, restart it on the same data directory and port, and let the clients reconnect and resume"
                    + " (token, lastSeq, resends with the same clientMsgId). Needs --target child --store sqlite"
                    + " (or postgres), or --target cluster, where one node at a time is killed, in turn, and its"
                    + " clients resume on the next node.")
    Duration killEvery;

    @Option(names = "--kills", defaultValue = "0",
            description = "With --kill-every: stop the load after this many kills; fewer within --duration fails"
                    + " the run. 0: as many as --duration allows. Default: ${DEFAULT-VALUE}.")
    int kills;

    boolean enabled() {
        return killEvery != null;
    }

    /** Why the other options rule out a kill run, or {@code null} if they do not. */
    String conflict(CommonOptions common, MessagingOptions messaging) {
        if (common.target != TargetKind.CHILD && common.target != TargetKind.CLUSTER) {
            return "--kill-every needs --target child or cluster: only servers this command started can be killed";
        }
        if (common.target == TargetKind.CHILD && "memory".equals(common.store)) {
            return "--kill-every needs --store sqlite or postgres: a memory store forgets every account and message"
                    + " at a kill";
        }
        if (common.compare || common.compareSingle) {
            return "--kill-every cannot be combined with --compare or --compare-single";
        }
        if (messaging.rate > 0) {
            return "--kill-every sends as fast as the windows allow; --rate is not supported with it";
        }
        if (kills < 0) {
            return "--kills must be >= 0, not " + kills;
        }
        return null;
    }

    KillConfig config(CommonOptions common, MessagingOptions messaging) {
        BenchClientSettings defaults = BenchClientSettings.defaults(common.serializer);
        BenchClientSettings client = new BenchClientSettings(defaults.version(), defaults.format(),
                messaging.ackEvery, defaults.ackDelay(), defaults.heartbeatInterval());
        return new KillConfig(killEvery, kills, common.durationOr(DEFAULT_DURATION),
                messaging.drainOr(DEFAULT_DRAIN), messaging.window, messaging.messageSize,
                messaging.loginConcurrency, client);
    }

    void describe(Map<String, Object> options, CommonOptions common, MessagingOptions messaging) {
        KillConfig config = config(common, messaging);
        options.put("killEverySeconds", killEvery.toMillis() / 1000.0);
        options.put("kills", kills);
        options.put("window", messaging.window);
        options.put("messageSize", messaging.messageSize);
        options.put("durationSeconds", config.duration().toMillis() / 1000.0);
        options.put("drainSeconds", config.drain().toMillis() / 1000.0);
        options.put("ackEvery", messaging.ackEvery);
        options.put("killOrder", "in turn");
    }

    /** The servers of the started target that can be killed, in the order of its addresses. */
    static List<RestartableTarget> killable(BenchTarget target) {
        if (target instanceof ClusterTarget cluster) {
            return cluster.nodes();
        }
        if (target instanceof RestartableTarget restartable) {
            return List.of(restartable);
        }
        throw new IllegalArgumentException(target.label() + " cannot be killed and restarted");
    }
}
