package dev.switchboard.im.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * The test JVM's class path without the entries that carry the tests' {@code logback-test.xml} (this module's test
 * classes, the framework's test jar): a child JVM started on it logs as the server's jar does, through
 * {@code DefaultLogConfigurator}, at INFO on standard error.
 */
public final class ProductionClassPath {

    private ProductionClassPath() {}

    public static String get() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !hasTestLogging(Path.of(entry)))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static boolean hasTestLogging(Path entry) {
        if (Files.isDirectory(entry)) {
            return Files.exists(entry.resolve("logback-test.xml"));
        }
        if (!Files.isRegularFile(entry)) {
            return false;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            return jar.getEntry("logback-test.xml") != null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read class path entry " + entry, e);
        }
    }
}
