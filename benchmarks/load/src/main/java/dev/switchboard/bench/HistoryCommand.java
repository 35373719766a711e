package dev.switchboard.bench;

import dev.switchboard.bench.client.BenchClientSettings;
import dev.switchboard.bench.workload.HistoryConfig;
import dev.switchboard.bench.workload.HistoryWorkload;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench history}: history pages per second in one long direct conversation. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Seeds one direct conversation with --messages messages through the protocol (timed, not"
                + " measured), then --clients connections page backwards through it from random messages"
                + " (HistoryRequest, --page-size per page). Reports pages/s, messages/s and page latency, and the"
                + " ratio to plain direct sends on the same server (--send-baseline).")
final class HistoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ReadOptions read;

    @Option(names = "--messages", defaultValue = "1000000",
            description = "Messages in the conversation, sent by its two users to each other. The memory store keeps"
                    + " the newest 1,000 per conversation: more fails the run there. Default: ${DEFAULT-VALUE}.")
    int messages;

    @Option(names = "--pages-per-walk", defaultValue = "20",
            description = "Pages read backwards from each random starting point. Default: ${DEFAULT-VALUE}.")
    int pagesPerWalk;

    @Option(names = "--seed-window", defaultValue = "256",
            description = "Messages each of the two seeding users keeps awaiting SendAck. Default: ${DEFAULT-VALUE}.")
    int seedWindow;

    @Option(names = "--message-size", defaultValue = "64",
            description = "Characters per seeded message. Default: ${DEFAULT-VALUE}.")
    int messageSize;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String conflict = ReadOptions.compareConflict(common);
        if (conflict != null) {
            err.println("bench history: " + conflict);
            return BenchRunner.ERROR;
        }
        HistoryConfig config;
        try {
            config = new HistoryConfig(messages, read.pageSize, pagesPerWalk, read.clients, seedWindow, messageSize,
                    read.warmup(common), read.duration(common), BenchClientSettings.defaults(common.serializer),
                    read.sendBaseline(common));
        } catch (IllegalArgumentException e) {
            err.println("bench history: " + e.getMessage());
            return BenchRunner.ERROR;
        }
        Map<String, Object> options = common.describe();
        read.describe(options, common);
        options.put("messages", messages);
        options.put("pagesPerWalk", pagesPerWalk);
        options.put("seedWindow", seedWindow);
        options.put("messageSize", messageSize);
        return BenchRunner.run(common, options, target -> new HistoryWorkload(config), spec.commandLine().getOut(),
                err);
    }
}
