package dev.switchboard.im.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Collects what the client prints, line by line, and waits for lines to appear. */
final class OutputLines extends OutputStream {

    static final Duration WAIT = Duration.ofSeconds(5);

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(this, true, StandardCharsets.UTF_8);

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            lines.add(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
        } else {
            partial.write(b);
        }
    }

    /** Forgets the lines so far (a test that expected a warning the common checks would reject). */
    void clear() {
        lines.clear();
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Lines starting with {@code prefix}. */
    List<String> starting(String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix)).toList();
    }

    /** Waits until a line matches; returns it. */
    String await(Predicate<String> match) {
        await(() -> lines.stream().anyMatch(match), "a matching line");
        return lines.stream().filter(match).findFirst().orElseThrow();
    }

    String awaitLine(String line) {
        return await(line::equals);
    }

    /**
     * Polls {@code condition} until true, failing after {@link #WAIT} with everything the client printed, so a failure
     * seen once in CI says what the client was doing.
     */
    void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                assertThat(condition.getAsBoolean()).as("waited %s for %s; the client printed %s", WAIT, what,
                        lines).isTrue();
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
