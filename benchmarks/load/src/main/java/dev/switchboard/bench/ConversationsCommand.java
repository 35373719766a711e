package dev.switchboard.bench;

import dev.switchboard.bench.client.BenchClientSettings;
import dev.switchboard.bench.workload.ConversationsConfig;
import dev.switchboard.bench.workload.ConversationsWorkload;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench conversations}: conversation-list requests per second for a user with many conversations. */
@Command(name = "conversations", mixinStandardHelpOptions = true,
        description = "Seeds one user with --conversations direct conversations through the protocol (each peer"
                + " registers and sends it messages; timed, not measured), then --clients connections of that user"
                + " ask for the first page of its conversation list (ConversationsRequest, --page-size) again and"
                + " again. Reports lists/s and latency, and the ratio to plain direct sends on the same server.")
final class ConversationsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ReadOptions read;

    @Option(names = "--conversations", defaultValue = "1000",
            description = "Direct conversations of the user: one peer each. Default: ${DEFAULT-VALUE}.")
    int conversations;

    @Option(names = "--messages-per-conversation", defaultValue = "1",
            description = "Messages each peer sends the user (all unread). Default: ${DEFAULT-VALUE}.")
    int messagesPerConversation;

    @Option(names = "--login-concurrency", defaultValue = "64",
            description = "Peers logging in and sending at once while seeding. Default: ${DEFAULT-VALUE}.")
    int loginConcurrency;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String conflict = ReadOptions.compareConflict(common);
        if (conflict != null) {
            err.println("bench conversations: " + conflict);
            return BenchRunner.ERROR;
        }
        ConversationsConfig config;
        try {
            config = new ConversationsConfig(conversations, messagesPerConversation, read.pageSize, read.clients,
                    loginConcurrency, read.warmup(common), read.duration(common),
                    BenchClientSettings.defaults(common.serializer), read.sendBaseline(common));
        } catch (IllegalArgumentException e) {
            err.println("bench conversations: " + e.getMessage());
            return BenchRunner.ERROR;
        }
        Map<String, Object> options = common.describe();
        read.describe(options, common);
        options.put("conversations", conversations);
        options.put("messagesPerConversation", messagesPerConversation);
        options.put("loginConcurrency", loginConcurrency);
        return BenchRunner.run(common, options, target -> new ConversationsWorkload(config),
                spec.commandLine().getOut(), err);
    }
}
