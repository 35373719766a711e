package dev.switchboard.im.model;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real server in a child JVM ({@code dev.switchboard.im.Main server} on the test class path), so a restart can
 * be a SIGKILL ({@link Process#destroyForcibly()}) as well as a SIGTERM, whose shutdown hook stops it gracefully.
 * On SQLite by default; a cluster node takes its store and cluster arguments instead.
 */
final class ChildJvmServer implements ServerUnderTest {

    private static final Pattern READY = Pattern.compile("ready on [^:]+:(\\d+) .* admin on [^:]+:(\\d+)");
    private static final long START_SECONDS = 60;

    private final List<String> serverArgs;
    private Process process;
    private BufferedReader output;
    private int port;
    private int adminPort;

    private ChildJvmServer(List<String> serverArgs) {
        this.serverArgs = List.copyOf(serverArgs);
    }

    static ChildJvmServer start(Path dataDir) throws Exception {
        return start(List.of("--store", "sqlite", "--data-dir", dataDir.toString()));
    }

    /** A server with these arguments besides the test's usual ones (loopback, any port, fast logins). */
    static ChildJvmServer start(List<String> serverArgs) throws Exception {
        ChildJvmServer server = spawn(serverArgs);
        server.awaitReady();
        return server;
    }

    /** Starts the JVM without waiting for it, so that several can start at once; then {@link #awaitReady()}. */
    static ChildJvmServer spawn(List<String> serverArgs) throws Exception {
        ChildJvmServer server = new ChildJvmServer(serverArgs);
        server.spawn();
        return server;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public int adminPort() {
        return adminPort;
    }

    @Override
    public void restart(boolean kill) throws Exception {
        signal(kill);
        awaitExit();
        spawn();
        awaitReady();
    }

    @Override
    public void close() {
        try {
            signal(true);
            awaitExit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL, or SIGTERM for a graceful stop; {@link #awaitExit()} waits for it. */
    void signal(boolean kill) {
        if (kill) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
    }

    void awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts the JVM again on the same arguments (and so the same data). */
    void spawn() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "dev.switchboard.im.Main", "server",
                "--host", "127.0.0.1", "--port", "0",
                "--password-iterations", "1000", "--rate-limit", "0", "--idle-timeout", "PT0S",
                "--auth-timeout", "PT0S", "--admin-port", "0"));
        command.addAll(serverArgs);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectErrorStream(true);
        process = builder.start();
        output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Reads the child's output so it never blocks on a full pipe; {@code -Dmodel.childOutput=true} prints it. */
    private static void drain(BufferedReader output) {
        boolean print = Boolean.getBoolean("model.childOutput");
        try {
            output.lines().forEach(line -> {
                if (print) {
                    System.err.println("[child] " + line);
                }
            });
        } catch (java.io.UncheckedIOException closed) {
            // the child exited and its stream was closed under us
        }
    }

    /** Reads the child's output up to its ready line, and from then on drains it in the background. */
    void awaitReady() throws Exception {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        String line;
        while (System.nanoTime() < deadline && (line = output.readLine()) != null) {
            Matcher ready = READY.matcher(line);
            if (ready.find()) {
                port = Integer.parseInt(ready.group(1));
                adminPort = Integer.parseInt(ready.group(2));
                BufferedReader rest = output;
                Thread drain = new Thread(() -> drain(rest), "model-child-output");
                drain.setDaemon(true);
                drain.start();
                return;
            }
            seen.add(line);
        }
        process.destroyForcibly();
        throw new IllegalStateException("child server did not get ready; it printed:\n" + String.join("\n", seen));
    }
}
