package dev.switchboard.framework.internal.scan;

import dev.switchboard.framework.Command;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles small protocols for the index tests, with or without {@link ProtocolIndexProcessor}. */
final class IndexedSources {

    private IndexedSources() {}

    /** Writes the sources (class name to source text) under {@code sources} and compiles them into {@code out}. */
    static void compile(Path sources, Path out, boolean withProcessor, Map<String, String> classes,
            Path... classPath) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> type : classes.entrySet()) {
            Path file = sources.resolve(type.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, type.getValue());
            files.add(file);
        }
        Files.createDirectories(out);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter messages = new StringWriter();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = fileManager.getJavaFileObjectsFromPaths(files);
            StringBuilder path = new StringBuilder(frameworkClasses()).append(java.io.File.pathSeparator).append(out);
            for (Path entry : classPath) {
                path.append(java.io.File.pathSeparator).append(entry);
            }
            List<String> options = new ArrayList<>(List.of("-d", out.toString(), "-classpath", path.toString()));
            if (!withProcessor) {
                options.add("-proc:none");
            }
            JavaCompiler.CompilationTask task = javac.getTask(messages, fileManager, null, options, null, units);
            if (withProcessor) {
                task.setProcessors(List.of(new ProtocolIndexProcessor()));
            }
            check(task.call(), messages);
        }
    }

    private static void check(boolean compiled, StringWriter messages) {
        if (!compiled) {
            throw new AssertionError("compilation failed:\n" + messages);
        }
    }

    /** The framework's classes, for the annotations the sources use. */
    static String frameworkClasses() {
        try {
            return Path.of(Command.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The index a compilation into {@code out} wrote, or null. */
    static String index(Path out) throws IOException {
        Path file = out.resolve(ProtocolIndex.RESOURCE);
        return Files.exists(file) ? Files.readString(file) : null;
    }

    /** Packs a class directory into a jar. */
    static Path jar(Path classes, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                Stream<Path> walk = Files.walk(classes)) {
            for (Path path : walk.sorted().toList()) {
                if (path.equals(classes)) {
                    continue;
                }
                String name = classes.relativize(path).toString().replace(java.io.File.separatorChar, '/');
                if (Files.isDirectory(path)) {
                    out.putNextEntry(new JarEntry(name + "/"));
                } else {
                    out.putNextEntry(new JarEntry(name));
                    out.write(Files.readAllBytes(path));
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    static String source(String type, String body) {
        int dot = type.lastIndexOf('.');
        return "package " + type.substring(0, dot) + ";\n"
                + "import dev.switchboard.framework.*;\n"
                + body + "\n";
    }
}
