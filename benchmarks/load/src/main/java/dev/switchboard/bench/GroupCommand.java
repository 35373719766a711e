package dev.switchboard.bench;

import dev.switchboard.bench.kill.KillUnderLoad;
import dev.switchboard.bench.workload.GroupWorkload;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench group}: one big group, a few senders. */
@Command(name = "group", mixinStandardHelpOptions = true,
        description = "One group of G members, S of them sending with a window each. Reports deliveries/s"
                + " (messages x members) and the latency to the last member that receives each message. With"
                + " --kill-every, kills and restarts the server under load and checks that members resuming lose,"
                + " reorder and duplicate nothing.")
final class GroupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    MessagingOptions messaging;

    @Mixin
    KillOptions kill;

    @Option(names = "--members", defaultValue = "1000", description = "Group members. Default: ${DEFAULT-VALUE}.")
    int members;

    @Option(names = "--senders", defaultValue = "1",
            description = "Members that send. Default: ${DEFAULT-VALUE}.")
    int senders;

    @Override
    public Integer call() {
        Map<String, Object> options = common.describe();
        options.put("members", members);
        options.put("senders", senders);
        if (kill.enabled()) {
            return killUnderLoad(options);
        }
        messaging.describe(options, common);
        return BenchRunner.run(common, options,
                target -> new GroupWorkload(members, senders, messaging.config(common)),
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    private int killUnderLoad(Map<String, Object> options) {
        PrintWriter err = spec.commandLine().getErr();
        String conflict = kill.conflict(common, messaging);
        if (conflict != null) {
            err.println("bench group: " + conflict);
            return BenchRunner.ERROR;
        }
        kill.describe(options, common, messaging);
        return BenchRunner.run(common, options, target -> KillUnderLoad.group(members, senders,
                        kill.config(common, messaging), KillOptions.killable(target),
                        line -> err.println("bench group-kill: " + line)),
                spec.commandLine().getOut(), err);
    }
}
