package dev.switchboard.bench.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A temporary directory of a started server, deleted with everything in it by {@link #close()} unless kept. */
final class ScratchDir implements AutoCloseable {

    private final Path path;
    private final boolean keep;

    private ScratchDir(Path path, boolean keep) {
        this.path = path;
        this.keep = keep;
    }

    static ScratchDir create(String prefix, boolean keep) throws IOException {
        return new ScratchDir(Files.createTempDirectory(prefix), keep);
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        if (keep) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Left in the temp directory; not worth failing a finished run for.
        }
    }
}
