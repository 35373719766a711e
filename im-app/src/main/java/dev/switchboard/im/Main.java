package dev.switchboard.im;

import dev.switchboard.im.client.ClientCommand;
import dev.switchboard.im.server.ServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar switchboard-im.jar server|client ...} */
@Command(name = "switchboard-im", mixinStandardHelpOptions = true,
        description = "Switchboard IM: chat server and console client.",
        subcommands = {ServerCommand.class, ClientCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
