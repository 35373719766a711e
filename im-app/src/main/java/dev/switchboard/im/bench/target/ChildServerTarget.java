package dev.switchboard.im.bench.target;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A server in a child JVM: {@code java <jvm options> -cp <classpath> <main class> <arguments>}. Its output (stdout
 * and stderr together) is read until the ready line, {@code <ready prefix>HOST:PORT ...}, gives the port; later
 * output goes to {@code server.log} in the data directory. {@link #close()} stops the process (SIGTERM, then
 * SIGKILL after 10 s) and deletes the data directory unless asked to keep it. A shutdown hook kills the child if
 * this JVM exits first.
 */
public final class ChildServerTarget implements BenchTarget {

    private static final long STOP_TIMEOUT_SECONDS = 10;
    private static final int KEPT_LINES = 40;

    private final String label;
    private final Process process;
    private final Path dataDir;
    private final boolean keepData;
    private final InetSocketAddress address;
    private final Thread killOnExit;

    /**
     * What to start.
     *
     * @param label for tables
     * @param mainClass the server's main class
     * @param arguments its arguments; {@code {dataDir}} is replaced by the data directory
     * @param classpath the child's class path (usually this JVM's)
     * @param jvmOptions options before the class path, such as {@code -Xmx1g}
     * @param readyPrefix what the ready line starts with, before {@code HOST:PORT}
     * @param readyTimeoutSeconds how long to wait for it
     * @param connectHost the host clients connect to (the ready line may name a wildcard address)
     * @param keepData leave the data directory after closing
     */
    public record Spec(String label, String mainClass, List<String> arguments, String classpath,
            List<String> jvmOptions, String readyPrefix, long readyTimeoutSeconds, String connectHost,
            boolean keepData) {

        public Spec {
            arguments = List.copyOf(arguments);
            jvmOptions = List.copyOf(jvmOptions);
        }
    }

    private ChildServerTarget(String label, Process process, Path dataDir, boolean keepData,
            InetSocketAddress address, Thread killOnExit) {
        this.label = label;
        this.process = process;
        this.dataDir = dataDir;
        this.keepData = keepData;
        this.address = address;
        this.killOnExit = killOnExit;
    }

    /** Starts the child and waits for its ready line. */
    public static ChildServerTarget start(Spec spec) throws IOException, InterruptedException {
        Path dataDir = Files.createTempDirectory("switchboard-bench-");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(spec.jvmOptions());
        command.add("-cp");
        command.add(spec.classpath());
        command.add(spec.mainClass());
        for (String argument : spec.arguments()) {
            command.add(argument.replace("{dataDir}", dataDir.toString()));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread killOnExit = new Thread(process::destroyForcibly, "bench-child-killer");
        Runtime.getRuntime().addShutdownHook(killOnExit);

        Pattern ready = Pattern.compile("^" + Pattern.quote(spec.readyPrefix()) + "(\\S+):(\\d+)(\\s.*)?$");
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Deque<String> early = new ArrayDeque<>();
        Thread reader = new Thread(() -> pump(process, dataDir.resolve("server.log"), ready, port, early),
                "bench-child-output");
        reader.setDaemon(true);
        reader.start();
        try {
            int bound = port.get(spec.readyTimeoutSeconds(), TimeUnit.SECONDS);
            return new ChildServerTarget(spec.label(), process, dataDir, spec.keepData(),
                    new InetSocketAddress(spec.connectHost(), bound), killOnExit);
        } catch (ExecutionException | TimeoutException e) {
            stop(process);
            Runtime.getRuntime().removeShutdownHook(killOnExit);
            String output;
            synchronized (early) {
                output = String.join("\n  ", early);
            }
            throw new IllegalStateException("child server " + spec.mainClass() + " did not print '"
                    + spec.readyPrefix() + "HOST:PORT' within " + spec.readyTimeoutSeconds() + " s ("
                    + (e instanceof TimeoutException ? "timeout" : e.getCause().getMessage()) + "); command: "
                    + String.join(" ", command) + "\n last output:\n  " + output, e);
        }
    }

    /** Reads the child's output: to the ready line into memory, everything into the log file. */
    private static void pump(Process process, Path log, Pattern ready, CompletableFuture<Integer> port,
            Deque<String> early) {
        try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                BufferedWriter out = Files.newBufferedWriter(log)) {
            for (String line; (line = in.readLine()) != null; ) {
                out.write(line);
                out.newLine();
                if (!port.isDone()) {
                    out.flush();
                    Matcher matcher = ready.matcher(line);
                    if (matcher.matches()) {
                        port.complete(Integer.parseInt(matcher.group(2)));
                    } else {
                        synchronized (early) {
                            early.addLast(line);
                            if (early.size() > KEPT_LINES) {
                                early.removeFirst();
                            }
                        }
                    }
                }
            }
            port.completeExceptionally(new IllegalStateException("exited with " + process.waitFor()));
        } catch (IOException e) {
            port.completeExceptionally(new UncheckedIOException(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            port.completeExceptionally(e);
        }
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public boolean inProcess() {
        return false;
    }

    /** The child's process id, for looking at it while it runs. */
    public long pid() {
        return process.pid();
    }

    /** Where the child's data and {@code server.log} live until {@link #close()}. */
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook kills the child anyway.
        }
        if (!keepData) {
            deleteRecursively(dataDir);
        }
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Left in the temp directory; not worth failing a finished run for.
        }
    }
}
