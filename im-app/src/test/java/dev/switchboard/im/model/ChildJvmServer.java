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
 * The real server with SQLite in a child JVM ({@code dev.switchboard.im.Main server} on the test class path), so
 * a restart can be a SIGKILL ({@link Process#destroyForcibly()}) as well as a SIGTERM, whose shutdown hook stops
 * it gracefully.
 */
final class ChildJvmServer implements ServerUnderTest {

    private static final Pattern READY = Pattern.compile("ready on [^:]+:(\\d+) .* admin on [^:]+:(\\d+)");
    private static final long START_SECONDS = 60;

    private final Path dataDir;
    private Process process;
    private int port;
    private int adminPort;

    private ChildJvmServer(Path dataDir) {
        this.dataDir = dataDir;
    }

    static ChildJvmServer start(Path dataDir) throws Exception {
        ChildJvmServer server = new ChildJvmServer(dataDir);
        server.launch();
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
        stop(kill);
        launch();
    }

    @Override
    public void close() {
        try {
            stop(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop(boolean kill) throws InterruptedException {
        if (kill) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void launch() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "dev.switchboard.im.Main", "server",
                "--host", "127.0.0.1", "--port", "0", "--store", "sqlite", "--data-dir", dataDir.toString(),
                "--password-iterations", "1000", "--rate-limit", "0", "--idle-timeout", "PT0S",
                "--auth-timeout", "PT0S", "--admin-port", "0");
        builder.redirectErrorStream(true);
        process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            Matcher ready = READY.matcher(line);
            if (ready.find()) {
                port = Integer.parseInt(ready.group(1));
                adminPort = Integer.parseInt(ready.group(2));
                Thread drain = new Thread(() -> out.lines().forEach(ignored -> { }), "model-child-output");
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
