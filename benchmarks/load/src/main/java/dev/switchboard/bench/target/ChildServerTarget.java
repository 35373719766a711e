package dev.switchboard.bench.target;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server in a child JVM: {@code java <jvm options> -cp <classpath> <main class> <arguments>}. Its output (stdout
 * and stderr together) is read until the ready line, {@code <ready prefix>HOST:PORT ...}, gives the port (and,
 * if the line goes on with {@code admin on HOST:PORT}, the admin listener's port); all output
 * goes to {@code server.log} in the data directory. {@link #close()} stops the process (SIGTERM, then SIGKILL after
 * 10 s) and deletes the data directory unless asked to keep it. A shutdown hook kills the child (and deletes the
 * directory) if this JVM exits first, on Ctrl-C for instance.
 *
 * <p>{@link #kill()} and {@link #restart()} replace the process by a new one on the same data directory and the port
 * the first one bound, so clients reconnect to the same address; each start appends to {@code server.log} after a
 * line naming it. Those methods and {@link #close()} are for one thread at a time; the accessors for any thread.
 */
public final class ChildServerTarget implements RestartableTarget {

    private static final long STOP_TIMEOUT_SECONDS = 10;
    private static final int KEPT_LINES = 40;

    private final Spec spec;
    private final ScratchDir scratch;
    private final Path dataDir;
    private final InetSocketAddress address;
    private final InetSocketAddress adminAddress; // null: the child has no admin listener
    /** The newest process, set as soon as it is started (before it is ready), so the shutdown hook finds it. */
    private final AtomicReference<Process> process;
    private final Thread killOnExit;
    private int starts = 1;

    /**
     * What to start.
     *
     * @param label for tables
     * @param mainClass the server's main class
     * @param arguments its arguments; {@code {dataDir}} is replaced by the data directory, {@code {port}} and
     *     {@code {adminPort}} by 0 for the first start and by the ports it bound for restarts
     * @param classpath the child's class path: this JVM's for the baseline relay, the IM server's jar for it
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

    /** What a ready line says: the port, and the admin listener's port or -1. */
    private record Ready(int port, int adminPort) {}

    private static final Pattern ADMIN = Pattern.compile("\\badmin on \\S+:(\\d+)");

    private ChildServerTarget(Spec spec, ScratchDir scratch, Ready ready, AtomicReference<Process> process,
            Thread killOnExit) {
        this.spec = spec;
        this.scratch = scratch;
        this.dataDir = scratch.path();
        this.address = new InetSocketAddress(spec.connectHost(), ready.port());
        this.adminAddress = ready.adminPort() < 0 ? null : new InetSocketAddress(spec.connectHost(), ready.adminPort());
        this.process = process;
        this.killOnExit = killOnExit;
    }

    /** Starts the child on a new data directory and a free port, and waits for its ready line. */
    public static ChildServerTarget start(Spec spec) throws IOException, InterruptedException {
        ScratchDir scratch = ScratchDir.create("switchboard-bench-", spec.keepData());
        AtomicReference<Process> process = new AtomicReference<>();
        // Kills whichever process is newest when this JVM exits: the first, or one a restart is starting.
        Thread killOnExit = new Thread(() -> {
            Process current = process.get();
            if (current != null) {
                try {
                    current.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            scratch.close();
        }, "bench-child-killer");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        try {
            Ready ready = launch(spec, scratch.path(), new Ready(0, 0), 1, process);
            return new ChildServerTarget(spec, scratch, ready, process, killOnExit);
        } catch (RuntimeException | IOException | InterruptedException e) {
            removeHook(killOnExit);
            scratch.close();
            throw e;
        }
    }

    /**
     * Starts one process, makes it {@code current} at once, and waits for its ready line; returns the ports it names.
     * On failure stops it and names the command and output.
     */
    private static Ready launch(Spec spec, Path dataDir, Ready ports, int start, AtomicReference<Process> current)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(spec.jvmOptions());
        command.add("-cp");
        command.add(spec.classpath());
        command.add(spec.mainClass());
        for (String argument : spec.arguments()) {
            command.add(argument.replace("{dataDir}", dataDir.toString())
                    .replace("{port}", String.valueOf(ports.port()))
                    .replace("{adminPort}", String.valueOf(ports.adminPort())));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        current.set(process);

        Pattern ready = Pattern.compile("^" + Pattern.quote(spec.readyPrefix()) + "(\\S+):(\\d+)(\\s.*)?$");
        CompletableFuture<Ready> bound = new CompletableFuture<>();
        Deque<String> early = new ArrayDeque<>();
        String banner = "--- bench: start " + start + " of " + spec.mainClass() + ", pid " + process.pid() + " ---";
        Thread reader = new Thread(() -> pump(process, dataDir.resolve("server.log"), banner, ready, bound, early),
                "bench-child-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return bound.get(spec.readyTimeoutSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            stop(process); // not left running: the caller gives up on it
            throw e;
        } catch (ExecutionException | TimeoutException e) {
            stop(process);
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
    private static void pump(Process process, Path log, String banner, Pattern ready, CompletableFuture<Ready> port,
            Deque<String> early) {
        try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                BufferedWriter out = Files.newBufferedWriter(log, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND)) {
            out.write(banner);
            out.newLine();
            for (String line; (line = in.readLine()) != null; ) {
                out.write(line);
                out.newLine();
                if (!port.isDone()) {
                    out.flush();
                    Matcher matcher = ready.matcher(line);
                    if (matcher.matches()) {
                        Matcher admin = ADMIN.matcher(line);
                        port.complete(new Ready(Integer.parseInt(matcher.group(2)),
                                admin.find() ? Integer.parseInt(admin.group(1)) : -1));
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
        return spec.label();
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public Optional<InetSocketAddress> adminAddress() {
        return Optional.ofNullable(adminAddress);
    }

    @Override
    public boolean inProcess() {
        return false;
    }

    /** The current child's process id, for looking at it while it runs. */
    public long pid() {
        return process.get().pid();
    }

    /** Where the child's data and {@code server.log} live until {@link #close()}. */
    public Path dataDir() {
        return dataDir;
    }

    /** {@code Process.destroyForcibly()}: SIGKILL on Linux, so the server runs no shutdown hook and flushes nothing. */
    @Override
    public void kill() {
        Process current = process.get();
        try {
            if (!current.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("child " + current.pid() + " still alive "
                        + STOP_TIMEOUT_SECONDS + " s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a new child on the same data directory and port; the previous one must be dead ({@link #kill()}). */
    @Override
    public void restart() throws IOException, InterruptedException {
        Process previous = process.get();
        if (previous.isAlive()) {
            throw new IllegalStateException("child " + previous.pid() + " is still running; kill it first");
        }
        Ready bound = launch(spec, dataDir, new Ready(address.getPort(),
                adminAddress == null ? 0 : adminAddress.getPort()), ++starts, process);
        if (bound.port() != address.getPort()) {
            throw new IllegalStateException("restarted child is ready on port " + bound.port() + ", not "
                    + address.getPort());
        }
    }

    @Override
    public void close() {
        stop(process.get());
        removeHook(killOnExit);
        scratch.close();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook kills the child anyway.
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
}
