package dev.switchboard.im.client;

import dev.switchboard.im.FileOption;
import dev.switchboard.framework.ClientTls;
import dev.switchboard.framework.wire.Serializers;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code client} subcommand: a console chat client. Interactive (JLine prompt, completion, history) when
 * standard input and output are a terminal, otherwise — or with {@code --batch} — it reads one command per line
 * from standard input and prints one event per line on standard output. Logs go to standard error.
 *
 * <pre>{@code
 * java -jar switchboard-im.jar client --user alice
 * printf 'secret\nsendToUser bob hi there\n' | java -jar switchboard-im.jar client --user alice
 * }</pre>
 *
 * Exit codes: 0 after quit or end of input; 1 if the server cannot be reached or the first login fails in batch
 * mode; 2 for bad options.
 */
@Command(name = "client", description = "Chat from the console. Interactive on a terminal; otherwise reads "
        + "commands from standard input and prints one event per line (see docs/client.md).",
        sortOptions = false)
public final class ClientCommand implements Callable<Integer> {

    /** Serializer names accepted by {@code --serializer}. */
    enum SerializerName { json, jsonb }

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "server host (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8000", description = "server port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--servers", paramLabel = "HOST:PORT,...", split = ",", description = "cluster nodes to use "
            + "instead of --host and --port: the first that answers, and the next whenever the current one cannot be "
            + "reached")
    List<String> servers;

    @Option(names = "--user", required = true, description = "account name")
    String user;

    @Option(names = "--password", description = "password; prompted without echo if omitted (batch mode without "
            + "a terminal: read from the first input line)")
    String password;

    @Option(names = "--protocol", defaultValue = "2", description = "protocol version, 1 or 2 (default: "
            + "${DEFAULT-VALUE})")
    int protocol;

    @Option(names = "--serializer", defaultValue = "json", description = "json or jsonb (jsonb needs protocol 2; "
            + "default: ${DEFAULT-VALUE})")
    SerializerName serializer;

    @Option(names = "--tls", description = "speak TLS; the server's certificate must come from an authority the "
            + "JVM trusts (or --trust FILE) and name --host")
    boolean tls;

    @Option(names = "--trust", paramLabel = "FILE", description = "with --tls: trust the PEM certificates of FILE "
            + "(a CA, or the server's own certificate) instead of the JVM's trust store")
    Path trust;

    @Option(names = "--insecure", description = "with --tls: accept any certificate (development only: anyone in "
            + "between can read and change the traffic)")
    boolean insecure;

    @Option(names = "--batch", description = "read commands from standard input even on a terminal")
    boolean batch;

    @Option(names = {"-v", "--verbose"}, description = "log connection events (to standard error)")
    boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Spec
    CommandSpec spec;

    private final InputStream in;
    private final PrintStream out;
    private final boolean terminal;
    private final boolean configureLogging;

    /** The command on the process's standard streams. */
    @SuppressWarnings("SystemConsoleNull") // built for Java 17, where a null console means not interactive
    public ClientCommand() {
        this(System.in, System.out, System.console() != null, true);
    }

    /** A command on other streams (tests): {@code terminal} says whether they are a terminal. */
    ClientCommand(InputStream in, PrintStream out, boolean terminal, boolean configureLogging) {
        this.in = in;
        this.out = out;
        this.terminal = terminal;
        this.configureLogging = configureLogging;
    }

    @Override
    public Integer call() throws Exception {
        if (protocol != 1 && protocol != 2) {
            throw new ParameterException(spec.commandLine(), "--protocol must be 1 or 2, not " + protocol);
        }
        if (serializer == SerializerName.jsonb && protocol < 2) {
            throw new ParameterException(spec.commandLine(), "--serializer jsonb needs --protocol 2");
        }
        if (port < 1 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), "--port must be in 1..65535, not " + port);
        }
        List<InetSocketAddress> addresses = servers == null ? List.of() : addresses(servers);
        ClientTls clientTls = clientTls();
        if (configureLogging) {
            ClientLogging.toStandardError(verbose);
        }
        KnownNames names = new KnownNames();
        try (Console console = openConsole(names)) {
            String secret = password;
            if (secret == null) {
                secret = console.readPassword("password for " + user + ": ");
                if (secret == null) {
                    console.print("[error] no password given");
                    return ChatClient.FAILED;
                }
            }
            int serializerId = serializer == SerializerName.jsonb ? Serializers.JSONB_ID : Serializers.JSON_ID;
            ClientSettings settings = addresses.isEmpty()
                    ? ClientSettings.of(host, port, user, secret, protocol, serializerId)
                    : ClientSettings.of(addresses.get(0).getHostString(), addresses.get(0).getPort(), user, secret,
                            protocol, serializerId).withFailovers(addresses.subList(1, addresses.size()));
            settings = settings.withTls(clientTls);
            return new ChatClient(settings, console, names).run();
        }
    }

    /** {@code --servers}: each HOST:PORT (an IPv6 address in brackets), in order. */
    private List<InetSocketAddress> addresses(List<String> values) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String value : values) {
            int colon = value.lastIndexOf(':');
            String server = colon > 0 ? value.substring(0, colon) : "";
            if (server.startsWith("[") && server.endsWith("]")) {
                server = server.substring(1, server.length() - 1);
            }
            int serverPort = -1;
            try {
                serverPort = colon > 0 ? Integer.parseInt(value.substring(colon + 1)) : -1;
            } catch (NumberFormatException e) {
                // reported below
            }
            if (server.isEmpty() || serverPort < 1 || serverPort > 65_535) {
                throw new ParameterException(spec.commandLine(), "--servers takes HOST:PORT,HOST:PORT, not " + value);
            }
            addresses.add(InetSocketAddress.createUnresolved(server, serverPort));
        }
        return addresses;
    }

    /** The TLS choice of the options, or null for plaintext. */
    private ClientTls clientTls() {
        if (!tls) {
            if (trust != null || insecure) {
                throw new ParameterException(spec.commandLine(), (insecure ? "--insecure" : "--trust")
                        + " needs --tls");
            }
            return null;
        }
        if (trust != null && insecure) {
            throw new ParameterException(spec.commandLine(), "--trust and --insecure are mutually exclusive");
        }
        if (insecure) {
            return ClientTls.insecure();
        }
        if (trust == null) {
            return ClientTls.jvmTrustStore();
        }
        FileOption.requireReadable(spec.commandLine(), "--trust", trust);
        return ClientTls.trusting(trust);
    }

    private Console openConsole(KnownNames names) {
        if (terminal && !batch) {
            return JLineConsole.open(user, names);
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        return new PlainConsole(reader, out, terminal ? System.console() : null);
    }
}
