package dev.switchboard.framework.internal.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StaticFiles#load} from jars and directories, through the context class loader. */
class StaticFilesTest {

    @TempDir
    Path dir;

    @Test
    void readsAJarsFilesAndTheFirstEntryOfAPathWins() throws IOException {
        Path jar = dir.resolve("site.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String name : new String[] {"site/", "site/index.html", "site/js/", "site/js/app.js", "other.txt"}) {
                out.putNextEntry(new JarEntry(name));
                if (!name.endsWith("/")) {
                    out.write(("jar " + name).getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes.resolve("site"));
        Files.writeString(classes.resolve("site/index.html"), "directory index");

        StaticFiles files = withClassPath(() -> StaticFiles.load("site"), classes, jar);

        assertThat(files.size()).isEqualTo(2);
        assertThat(new String(files.find("/").body(), StandardCharsets.UTF_8)).isEqualTo("directory index");
        assertThat(new String(files.find("/js/app.js").body(), StandardCharsets.UTF_8)).isEqualTo("jar site/js/app.js");
        assertThat(files.find("/js/app.js").contentType()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(files.find("/../other.txt")).isNull();
    }

    private static <T> T withClassPath(Supplier<T> action, Path... entries) throws IOException {
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = entries[i].toUri().toURL();
        }
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(urls, null)) {
            thread.setContextClassLoader(loader);
            return action.get();
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
