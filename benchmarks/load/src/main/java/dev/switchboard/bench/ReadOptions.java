package dev.switchboard.bench;

import dev.switchboard.bench.client.BenchClientSettings;
import dev.switchboard.bench.target.TargetKind;
import dev.switchboard.bench.workload.MessagingConfig;
import dev.switchboard.bench.workload.RunPlan;
import dev.switchboard.bench.workload.SendBaseline;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options of the read workloads (history, conversations). */
final class ReadOptions {

    static final Duration DEFAULT_DURATION = MessagingOptions.DEFAULT_DURATION;
    static final Duration DEFAULT_WARMUP = MessagingOptions.DEFAULT_WARMUP;
    /** The plain sends of the same run are {@code bench direct}'s defaults: 8 pairs, window 64, 64 characters. */
    static final int BASELINE_PAIRS = 8;
    static final int BASELINE_WINDOW = 64;
    static final int BASELINE_MESSAGE_SIZE = 64;

    @Option(names = "--clients", defaultValue = "8",
            description = "Connections sending requests, one in flight each. Default: ${DEFAULT-VALUE}.")
    int clients;

    @Option(names = "--page-size", defaultValue = "50",
            description = "The limit of every request, 1 to 200. Default: ${DEFAULT-VALUE}.")
    int pageSize;

    @Option(names = "--send-baseline", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "After measuring, run plain direct sends (as bench direct: 8 pairs, window 64) for the same"
                    + " warm-up and duration on the same server and report the ratio to them. Default: on;"
                    + " --no-send-baseline skips them.")
    boolean sendBaseline;

    Duration warmup(CommonOptions common) {
        return common.warmupOr(DEFAULT_WARMUP);
    }

    Duration duration(CommonOptions common) {
        return common.durationOr(DEFAULT_DURATION);
    }

    /** Why these options cannot run, or null: the baseline relay keeps no history, so there is nothing to compare. */
    static String compareConflict(CommonOptions common) {
        if (common.compare) {
            return "--compare is not supported: the baseline relay keeps no history or conversations; the ratio"
                    + " reported is to plain direct sends on the same server (--send-baseline)";
        }
        if (common.target == TargetKind.BASELINE || common.target == TargetKind.BASELINE_CHILD) {
            return "--target " + common.target.cliName() + " is not supported: the baseline relay keeps no history"
                    + " or conversations";
        }
        return null;
    }

    SendBaseline sendBaseline(CommonOptions common) {
        if (!sendBaseline) {
            return null;
        }
        MessagingConfig direct = new MessagingConfig(BASELINE_WINDOW, 0, BASELINE_MESSAGE_SIZE, 64,
                new RunPlan(warmup(common), duration(common), MessagingOptions.DEFAULT_DRAIN),
                BenchClientSettings.defaults(common.serializer));
        return new SendBaseline(BASELINE_PAIRS, direct);
    }

    void describe(Map<String, Object> options, CommonOptions common) {
        options.put("clients", clients);
        options.put("pageSize", pageSize);
        options.put("warmupSeconds", warmup(common).toMillis() / 1000.0);
        options.put("durationSeconds", duration(common).toMillis() / 1000.0);
        options.put("sendBaseline", sendBaseline);
    }
}
