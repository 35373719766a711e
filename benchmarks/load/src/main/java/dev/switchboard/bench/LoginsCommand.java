package dev.switchboard.bench;

import dev.switchboard.bench.client.BenchClientSettings;
import dev.switchboard.bench.workload.LoginsConfig;
import dev.switchboard.bench.workload.LoginsWorkload;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench logins}: connect-login-close loops with passwords and resume tokens. */
@Command(name = "logins", mixinStandardHelpOptions = true,
        description = "Logins per second on fresh connections, in three phases of --duration each: new users"
                + " with a password, existing users with a password, and existing users with their resume token.")
final class LoginsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--concurrency", defaultValue = "32",
            description = "Connect-login-close loops running at once. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = "--source-addresses", defaultValue = "16",
            description = "Source addresses to rotate over (closed sockets hold their port in TIME_WAIT)."
                    + " Default: ${DEFAULT-VALUE}.")
    int sourceAddresses;

    @Override
    public Integer call() {
        Duration phase = common.durationOr(Duration.ofSeconds(5));
        // Short phases of connection churn are dominated by JIT warm-up: 1 s measured a quarter of the steady rate.
        Duration warmup = common.warmupOr(Duration.ofSeconds(5));
        Map<String, Object> options = common.describe();
        options.put("concurrency", concurrency);
        options.put("sourceAddresses", sourceAddresses);
        options.put("warmupSeconds", warmup.toMillis() / 1000.0);
        options.put("phaseSeconds", phase.toMillis() / 1000.0);
        LoginsConfig config = new LoginsConfig(concurrency, sourceAddresses, warmup, phase,
                BenchClientSettings.defaults(common.serializer));
        return BenchRunner.run(common, options, target -> new LoginsWorkload(config),
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
