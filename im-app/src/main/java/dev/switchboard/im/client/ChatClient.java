package dev.switchboard.im.client;

import dev.switchboard.framework.Client;
import dev.switchboard.framework.ClientConfig;
import dev.switchboard.framework.Switchboard;
import dev.switchboard.im.protocol.HeartBeatRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of the client: connect, log in, read commands until {@code quit} or end of input, wait briefly for what
 * is outstanding, close. Runs on the calling (console) thread; events arrive on the framework's event loop.
 */
final class ChatClient {

    static final String PROTOCOL_PACKAGE = "dev.switchboard.im.protocol";
    static final String CLIENT_PACKAGE = "dev.switchboard.im.client";
    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    /** Exit code: normal end. */
    static final int OK = 0;
    /** Exit code: could not connect, or the first login failed in batch mode. */
    static final int FAILED = 1;

    private final ClientSettings settings;
    private final Console console;
    private final KnownNames names;

    ChatClient(ClientSettings settings, Console console, KnownNames names) {
        this.settings = settings;
        this.console = console;
        this.names = names;
    }

    /** Runs until quit or end of input; returns the exit code. */
    int run() throws IOException, InterruptedException {
        ChatSession session = new ChatSession(settings, console::print, names);
        ConsoleCommands commands = new ConsoleCommands(settings.version(), () -> UUID.randomUUID().toString(),
                names);
        Client client = Switchboard.client(c -> connection(c)
                .scan(PROTOCOL_PACKAGE, CLIENT_PACKAGE)
                .host(settings.host())
                .port(settings.port())
                .version(settings.version())
                .serializer(settings.serializerId())
                .modules(new ClientModule(session, names))
                .heartbeat(HEARTBEAT, HeartBeatRequest::new)
                .reconnect(settings.reconnectMin(), settings.reconnectMax())
                .requestTimeout(settings.requestTimeout())
                .onConnect(session::connected)
                .onDisconnect(session::disconnected));
        session.attach(client);
        try {
            try {
                client.connect();
            } catch (IOException e) {
                console.print("[error] cannot connect to " + servers() + ": "
                        + EventPrinter.text(rootMessage(e)));
                return FAILED;
            } catch (IllegalArgumentException e) { // a --trust file that holds no certificate
                console.print("[error] " + EventPrinter.text(e.getMessage()));
                return FAILED;
            }
            if (!awaitFirstLogin(session) && !console.interactive()) {
                return FAILED;
            }
            readCommands(session, commands);
            if (!session.awaitSettled(settings.drainTimeout()) && session.unackedMessages() > 0) {
                console.print("[warn] exiting with " + session.unackedMessages()
                        + " message(s) the server has not acknowledged");
            }
            return OK;
        } finally {
            session.closing();
            client.close();
        }
    }

    /** The client's servers and how to reach them: the failover servers, and TLS if asked for. */
    private ClientConfig connection(ClientConfig config) {
        settings.tls().ifPresent(config::tls);
        settings.failovers().forEach(server -> config.failover(server.getHostString(), server.getPort()));
        return config;
    }

    private boolean awaitFirstLogin(ChatSession session) throws InterruptedException {
        long waitMillis = settings.requestTimeout().toMillis() + settings.reconnectMax().toMillis();
        try {
            return session.firstLogin().get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            console.print(EventPrinter.loginFailed(settings.user(), "no login answer within " + waitMillis + " ms"));
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("the first login cannot fail exceptionally", e);
        }
    }

    private void readCommands(ChatSession session, ConsoleCommands commands)
            throws IOException, InterruptedException {
        String line;
        while ((line = console.readLine()) != null) {
            ConsoleCommands.Parsed parsed = commands.parse(line);
            if (parsed instanceof ConsoleCommands.Usage usage) {
                console.print("[usage] " + usage.hint());
            } else if (parsed instanceof ConsoleCommands.Send send) {
                session.submit(send.request());
            } else if (parsed instanceof ConsoleCommands.Local local) {
                switch (local.action()) {
                    case QUIT:
                        return;
                    case HELP:
                        commands.help().forEach(help -> console.print("[help] " + help));
                        break;
                    case LOGIN:
                        login(session);
                        break;
                    case SLEEP:
                        TimeUnit.MILLISECONDS.sleep(local.millis());
                        break;
                    default:
                        break;
                }
            }
        }
    }

    private void login(ChatSession session) throws IOException {
        if (console.interactive() && session.passwordRejected()) {
            String password = console.readPassword("password: ");
            if (password == null) {
                return;
            }
            session.password(password);
        }
        session.login();
    }

    private String servers() {
        StringBuilder all = new StringBuilder(settings.host() + ":" + settings.port());
        settings.failovers().forEach(server -> all.append(", ").append(server.getHostString()).append(':')
                .append(server.getPort()));
        return all.toString();
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
