package dev.switchboard.bench;

import dev.switchboard.bench.client.BenchClientSettings;
import dev.switchboard.bench.workload.ConnectionsConfig;
import dev.switchboard.bench.workload.ConnectionsWorkload;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench connections}: many idle logged-in connections, and what they cost the server. */
@Command(name = "connections", mixinStandardHelpOptions = true,
        description = "Opens C logged-in connections over source addresses 127.0.0.2... that then only send"
                + " heartbeats, holds them for --duration, and reports the server's heap and RSS per connection"
                + " from the server's admin listener (POST /gc) before and after.")
final class ConnectionsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--connections", defaultValue = "10000",
            description = "Connections to open. Default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = "--per-address", defaultValue = "5000",
            description = "Connections per source address. Default: ${DEFAULT-VALUE}.")
    int perAddress;

    @Option(names = "--concurrency", defaultValue = "256",
            description = "Connects and logins in flight. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = "--heartbeat", defaultValue = "5s", converter = DurationConverter.class,
            description = "Heartbeat period (the server closes connections idle for 15 s). Default: ${DEFAULT-VALUE}.")
    Duration heartbeat;

    @Override
    public Integer call() {
        Duration hold = common.durationOr(Duration.ofSeconds(5));
        Map<String, Object> options = common.describe();
        options.put("connections", connections);
        options.put("perAddress", perAddress);
        options.put("concurrency", concurrency);
        options.put("holdSeconds", hold.toMillis() / 1000.0);
        options.put("heartbeatSeconds", heartbeat.toMillis() / 1000.0);
        BenchClientSettings client = BenchClientSettings.defaults(common.serializer).withHeartbeat(heartbeat);
        return BenchRunner.run(common, options, target -> new ConnectionsWorkload(new ConnectionsConfig(
                        connections, perAddress, concurrency, hold, target.inProcess(), client,
                        target.adminAddress().orElse(null))),
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
