package dev.switchboard.im;

import dev.switchboard.im.client.ClientCommand;
import dev.switchboard.im.server.ServerCommand;
import dev.switchboard.im.server.config.ConfigDefaults;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar switchboard-im.jar server|client ...} */
@Command(name = "switchboard-im", mixinStandardHelpOptions = true,
        description = "Switchboard IM: chat server and console client.",
        subcommands = {ServerCommand.class, ClientCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The command line, whose {@code server} also reads a config file and {@code environment}'s SWITCHBOARD_*. */
    public static CommandLine commandLine(Map<String, String> environment) {
        CommandLine main = new CommandLine(new Main());
        ConfigDefaults.install(main, main.getSubcommands().get("server"), environment);
        return main;
    }
}
