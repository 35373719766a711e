package dev.switchboard.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The IM protocol's load generator, the main command of {@code switchboard-bench.jar}: one subcommand per workload.
 * Exit codes: 0 every run passed; 1 a run lost or duplicated messages, delivered nothing or otherwise failed; 2 the
 * benchmark could not run. Child IM servers are started from the IM jar ({@code --server-jar}).
 *
 * <pre>
 * java -jar switchboard-bench.jar direct --target child --store sqlite --compare --json-out direct.json
 * java -jar switchboard-bench.jar group --target child --store sqlite --kill-every 3s --kills 20 --duration 3m
 * </pre>
 */
@Command(name = "switchboard-bench", mixinStandardHelpOptions = true,
        subcommands = {DirectCommand.class, GroupCommand.class, ConnectionsCommand.class, LoginsCommand.class,
                HistoryCommand.class, ConversationsCommand.class},
        description = "Load generator for the IM protocol: direct, group, connections, logins, history,"
                + " conversations.",
        footer = "Exit codes: 0 passed, 1 lost/duplicated/nothing delivered/failed, 2 could not run.")
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }
}
