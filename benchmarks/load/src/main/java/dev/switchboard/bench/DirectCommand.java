package dev.switchboard.bench;

import dev.switchboard.bench.kill.KillUnderLoad;
import dev.switchboard.bench.workload.DirectWorkload;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench direct}: pairs of clients exchanging direct messages. */
@Command(name = "direct", mixinStandardHelpOptions = true,
        description = "N sender/receiver pairs; each sender keeps a window of direct messages awaiting SendAck."
                + " Reports delivered msgs/s and send-to-delivery latency. With --kill-every, kills and restarts the"
                + " server under load and checks that clients resuming lose, reorder and duplicate nothing.")
final class DirectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    MessagingOptions messaging;

    @Mixin
    KillOptions kill;

    @Option(names = "--pairs", defaultValue = "8", description = "Sender/receiver pairs. Default: ${DEFAULT-VALUE}.")
    int pairs;

    @Override
    public Integer call() {
        Map<String, Object> options = common.describe();
        options.put("pairs", pairs);
        if (kill.enabled()) {
            return killUnderLoad(options);
        }
        messaging.describe(options, common);
        return BenchRunner.run(common, options, target -> new DirectWorkload(pairs, messaging.config(common)),
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    private int killUnderLoad(Map<String, Object> options) {
        PrintWriter err = spec.commandLine().getErr();
        String conflict = kill.conflict(common, messaging);
        if (conflict != null) {
            err.println("bench direct: " + conflict);
            return BenchRunner.ERROR;
        }
        kill.describe(options, common, messaging);
        return BenchRunner.run(common, options, target -> KillUnderLoad.direct(pairs, kill.config(common, messaging),
                        KillOptions.killable(target), line -> err.println("bench direct-kill: " + line)),
                spec.commandLine().getOut(), err);
    }
}
