package dev.switchboard.im.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.framework.testing.TestCertificates;
import dev.switchboard.framework.testing.TestCertificates.KeyType;
import dev.switchboard.im.server.cluster.ClusterSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The {@code server} command's TLS and web options: refused before anything starts, naming the option and the file
 * or value; and a start that fails (a port in use) said in one line.
 */
class ServerCommandTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    /** Runs the command on any free port of 127.0.0.1 with the memory store, and these options. */
    private int run(String... args) {
        String[] all = new String[args.length + 6];
        System.arraycopy(new String[] {"--host", "127.0.0.1", "--port", "0", "--store", "memory"}, 0, all, 0, 6);
        System.arraycopy(args, 0, all, 6, args.length);
        return execute(all);
    }

    /** Runs the command with exactly these arguments, its error output going to {@link #err}. */
    private int execute(String... args) {
        CommandLine command = new CommandLine(new ServerCommand());
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    private String firstErrorLine() {
        return err.toString().lines().findFirst().orElse("");
    }

    @Test
    void thePostgresStoreNeedsItsDatabaseAndADatabaseNeedsThatStore() {
        assertThat(run("--postgres", "jdbc:postgresql://127.0.0.1:1/x")).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("--postgres needs --store postgres");
        err.getBuffer().setLength(0);

        CommandLine command = new CommandLine(new ServerCommand());
        command.setErr(new PrintWriter(err, true));
        assertThat(command.execute("--host", "127.0.0.1", "--port", "0", "--store", "postgres")).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("the postgres store needs a database: --postgres JDBC_URL");
    }

    @Test
    void thePostgresOptionsMakeThePostgresStoreSettings() {
        ServerCommand server = new ServerCommand();
        new CommandLine(server).parseArgs("--store", "postgres", "--postgres", "jdbc:postgresql://db:5432/chat",
                "--postgres-user", "chat", "--postgres-password", "s3cret", "--postgres-pool-size", "7");

        ImServerSettings settings = server.settings(null);

        assertThat(settings.store()).isEqualTo("postgres");
        assertThat(settings.postgres()).contains(new PostgresOptions("jdbc:postgresql://db:5432/chat", "chat",
                "s3cret", 7));
        assertThat(settings.toString()).doesNotContain("s3cret");
    }

    @Test
    void clusterModeNeedsASharedStoreANodeIdAndRedis() {
        String[] postgres = {"--postgres", "jdbc:postgresql://db:5432/chat"};
        assertThat(run("--cluster", "--node-id", "a", "--redis", "redis://127.0.0.1:6379")).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("--cluster needs --store postgres (the nodes share it)");
        err.getBuffer().setLength(0);
        assertThat(runOnPostgres(concat(postgres, "--cluster", "--redis", "redis://127.0.0.1:6379"))).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("--cluster needs --node-id and --redis");
        err.getBuffer().setLength(0);
        assertThat(runOnPostgres(concat(postgres, "--cluster", "--node-id", "a b", "--redis",
                "redis://127.0.0.1:6379")))
                .isEqualTo(2);
        assertThat(firstErrorLine()).startsWith("node id must be 1 to 64 of");
        err.getBuffer().setLength(0);
        assertThat(run("--node-id", "a")).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("--node-id and --redis need --cluster");
    }

    @Test
    void theClusterOptionsMakeTheNodeSettings() {
        ServerCommand server = new ServerCommand();
        new CommandLine(server).parseArgs("--store", "postgres", "--postgres", "jdbc:postgresql://db:5432/chat",
                "--cluster", "--node-id", "node-1", "--redis", "redis://10.0.0.5:6379");

        ClusterSettings cluster = server.settings(null).cluster().orElseThrow();

        assertThat(cluster.nodeId()).isEqualTo("node-1");
        assertThat(cluster.redisUri()).isEqualTo(URI.create("redis://10.0.0.5:6379"));
        assertThat(cluster.heartbeat()).isEqualTo(ClusterSettings.DEFAULT_HEARTBEAT);
    }

    /** Like {@link #run}, on the PostgreSQL store (the options are refused before anything connects). */
    private int runOnPostgres(String... args) {
        CommandLine command = new CommandLine(new ServerCommand());
        command.setErr(new PrintWriter(err, true));
        return command.execute(concat(new String[] {"--host", "127.0.0.1", "--port", "0", "--store", "postgres"},
                args));
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    @Test
    void selfSignedAndCertificateFilesAreMutuallyExclusive() {
        Path chain = TestCertificates.selfSigned(KeyType.EC, "localhost").writeChain(dir.resolve("chain.pem"));

        assertThat(run("--tls-self-signed", "--tls-cert", chain.toString())).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("--tls-self-signed and --tls-cert/--tls-key are mutually exclusive");
    }

    @Test
    void aCertificateNeedsItsKeyAndAKeyItsCertificate() {
        TestCertificates.Issued certificate = TestCertificates.selfSigned(KeyType.EC, "localhost");
        Path chain = certificate.writeChain(dir.resolve("chain.pem"));
        Path key = certificate.writePkcs8Key(dir.resolve("key.pem"));

        assertThat(run("--tls-cert", chain.toString())).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("--tls-cert needs --tls-key");
        err.getBuffer().setLength(0);
        assertThat(run("--tls-key", key.toString())).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("--tls-key needs --tls-cert");
    }

    @Test
    void aMissingFileOrADirectoryIsNamed() {
        Path key = TestCertificates.selfSigned(KeyType.EC, "localhost").writePkcs8Key(dir.resolve("key.pem"));
        Path missing = dir.resolve("missing.pem");

        assertThat(run("--tls-cert", missing.toString(), "--tls-key", key.toString())).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("--tls-cert " + missing + ": does not exist");
        err.getBuffer().setLength(0);
        assertThat(run("--tls-cert", key.toString(), "--tls-key", dir.toString())).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("--tls-key " + dir + ": is not a file");
    }

    @Test
    void aFileThatIsNotACertificateIsAUsageErrorNamingIt() throws Exception {
        Path key = TestCertificates.selfSigned(KeyType.EC, "localhost").writePkcs8Key(dir.resolve("key.pem"));
        Path notes = Files.writeString(dir.resolve("notes.txt"), "hello\n");

        assertThat(run("--tls-cert", notes.toString(), "--tls-key", key.toString())).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("TLS certificate chain " + notes
                + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    @Test
    void aWebOriginNeedsTheWebPort() {
        assertThat(run("--web-origin", "https://chat.example.com")).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("--web-origin needs --web-port");
    }

    @Test
    void aWebOriginThatIsNotOneIsAUsageErrorNamingIt() {
        assertThat(run("--web-port", "0", "--web-origin", "https://chat.example.com,chat.example.com")).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("not an origin (http:// or https://host[:port], nothing after): chat.example.com");
    }

    @Test
    void theWebPortIsChecked() {
        assertThat(run("--web-port", "70000")).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("--web-port outside 0..65535: 70000");
    }

    @Test
    void aPortInUseEndsWithOneLineSayingSoAndStatusOne() throws Exception {
        Logger commandLog = (Logger) LoggerFactory.getLogger(ServerCommand.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        commandLog.addAppender(logged);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int exit = execute("--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()), "--store",
                    "memory");

            assertThat(exit).isEqualTo(1);
            assertThat(logged.list).filteredOn(event -> event.getLevel() == Level.ERROR).singleElement()
                    .satisfies(event -> {
                        assertThat(event.getFormattedMessage()).isEqualTo("could not start: cannot bind 127.0.0.1:"
                                + taken.getLocalPort() + ": Address already in use");
                        assertThat(event.getThrowableProxy()).as("no stack trace at ERROR").isNull();
                    });
            assertThat(err.toString()).as("nothing from picocli: no stack trace").isEmpty();
        } finally {
            commandLog.detachAppender(logged);
        }
    }

    @Test
    void exitWhenReadyStartsStopsAndExitsZero() throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = run("--exit-when-ready");
        } finally {
            System.setOut(out);
        }
        assertThat(exit).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("Switchboard IM server ready on 127.0.0.1:");
        // Stopped: its port is free again (a port of 0 asked for any, so try binding the one it printed).
        String port = printed.toString(StandardCharsets.UTF_8)
                .replaceAll("(?s).*ready on 127\\.0\\.0\\.1:(\\d+).*", "$1");
        try (ServerSocket again = new ServerSocket(Integer.parseInt(port), 1,
                InetAddress.getLoopbackAddress())) {
            assertThat(again.isBound()).isTrue();
        }
    }
}
