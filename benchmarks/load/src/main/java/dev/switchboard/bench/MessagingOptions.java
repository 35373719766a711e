package dev.switchboard.bench;

import dev.switchboard.bench.client.BenchClientSettings;
import dev.switchboard.bench.workload.MessagingConfig;
import dev.switchboard.bench.workload.RunPlan;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options of the direct and group workloads. */
final class MessagingOptions {

    static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
    static final Duration DEFAULT_WARMUP = Duration.ofSeconds(3);
    static final Duration DEFAULT_DRAIN = Duration.ofSeconds(5);

    @Option(names = "--window", defaultValue = "64",
            description = "Messages per sender awaiting their SendAck. Default: ${DEFAULT-VALUE}.")
    int window;

    @Option(names = "--rate", defaultValue = "0",
            description = "Total messages per second over all senders; 0 sends as fast as the windows allow."
                    + " Latency at a fixed rate is measured from when each message was due. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--message-size", defaultValue = "64",
            description = "Characters per message text. Default: ${DEFAULT-VALUE}.")
    int messageSize;

    @Option(names = "--drain", converter = DurationConverter.class,
            description = "After sending stops, how long to wait for outstanding acks and deliveries; what has not"
                    + " arrived by then counts as lost. Default: 5s (30s with --kill-every).")
    Duration drain;

    @Option(names = "--login-concurrency", defaultValue = "64",
            description = "Logins in flight while setting up. Default: ${DEFAULT-VALUE}.")
    int loginConcurrency;

    @Option(names = "--ack-every", defaultValue = "32",
            description = "Clients send a cumulative DeliveryAck every N deliveries (or after 20 ms)."
                    + " Default: ${DEFAULT-VALUE}.")
    int ackEvery;

    MessagingConfig config(CommonOptions common) {
        BenchClientSettings defaults = BenchClientSettings.defaults(common.serializer);
        BenchClientSettings client = new BenchClientSettings(defaults.version(), defaults.format(), ackEvery,
                defaults.ackDelay(), defaults.heartbeatInterval());
        RunPlan plan = new RunPlan(common.warmupOr(DEFAULT_WARMUP), common.durationOr(DEFAULT_DURATION),
                drainOr(DEFAULT_DRAIN));
        return new MessagingConfig(window, rate, messageSize, loginConcurrency, plan, client);
    }

    Duration drainOr(Duration fallback) {
        return drain != null ? drain : fallback;
    }

    void describe(Map<String, Object> options, CommonOptions common) {
        MessagingConfig config = config(common);
        options.put("window", window);
        options.put("rate", rate);
        options.put("messageSize", messageSize);
        options.put("warmupSeconds", config.plan().warmup().toMillis() / 1000.0);
        options.put("durationSeconds", config.plan().duration().toMillis() / 1000.0);
        options.put("drainSeconds", config.plan().drain().toMillis() / 1000.0);
        options.put("ackEvery", ackEvery);
    }
}
