package dev.switchboard.framework.internal.websocket;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * An application's static files, read once from a classpath directory at start and served from memory: a request
 * path can only ever name one of these, so nothing else of the classpath or the disk is reachable, and serving never
 * blocks the event loop. Immutable and thread-safe.
 */
public final class StaticFiles {

    /** Most bytes read into memory in all; more fails the start. */
    public static final long MAX_TOTAL_BYTES = 32L << 20;

    /** One file: its bytes (never modified), content type and entity tag. */
    public record File(byte[] body, String contentType, String etag) {}

    private static final StaticFiles NONE = new StaticFiles(Map.of());

    private final Map<String, File> files; // "/index.html" -> file

    private StaticFiles(Map<String, File> files) {
        this.files = Map.copyOf(files);
    }

    /** No files: every request is a 404. */
    public static StaticFiles none() {
        return NONE;
    }

    /**
     * Reads every file under the classpath directory {@code root} (such as {@code "web"}); where several classpath
     * elements hold one path, the first wins, as for a class loader. The directories are found through the context
     * class loader ({@link ClassLoader#getResources}) and listed where they are: a directory of the file system,
     * or the entries of a jar under that name.
     *
     * @throws IllegalStateException naming the directory when it holds no file, or more than
     *     {@link #MAX_TOTAL_BYTES}, or a file cannot be read
     */
    public static StaticFiles load(String root) {
        Map<String, File> files = new LinkedHashMap<>();
        long[] total = {0};
        String prefix = root + "/";
        try {
            Enumeration<URL> holders = classLoader().getResources(root);
            while (holders.hasMoreElements()) {
                URL holder = holders.nextElement();
                if (holder.getProtocol().equals("file")) {
                    readDirectory(Paths.get(holder.toURI()), prefix, files, total);
                } else if (holder.openConnection() instanceof JarURLConnection connection) {
                    connection.setUseCaches(false); // not keep the jar open after the start
                    try (JarFile jar = connection.getJarFile()) {
                        readJar(jar, prefix, files, total);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read static files under classpath " + prefix + ": "
                    + e.getMessage(), e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read static files under classpath " + prefix, e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no static files under classpath " + root + "/ (is it on the classpath?)");
        }
        return new StaticFiles(files);
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : StaticFiles.class.getClassLoader();
    }

    private static void readDirectory(Path dir, String prefix, Map<String, File> files, long[] total)
            throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> found;
        try (Stream<Path> walk = Files.walk(dir)) {
            found = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : found) {
            String relative = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            add(prefix + relative, Files.readAllBytes(file), prefix, files, total);
        }
    }

    private static void readJar(JarFile jar, String prefix, Map<String, File> files, long[] total)
            throws IOException {
        List<JarEntry> found = new ArrayList<>();
        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
            JarEntry entry = entries.nextElement();
            if (entry.getName().startsWith(prefix) && !entry.isDirectory()) {
                found.add(entry);
            }
        }
        for (JarEntry entry : found) {
            try (InputStream in = jar.getInputStream(entry)) {
                add(entry.getName(), in.readAllBytes(), prefix, files, total);
            }
        }
    }

    private static void add(String path, byte[] body, String prefix, Map<String, File> files, long[] total) {
        if (path.endsWith(".class")) {
            return;
        }
        String key = "/" + path.substring(prefix.length());
        if (files.containsKey(key)) {
            return;
        }
        total[0] += body.length;
        if (total[0] > MAX_TOTAL_BYTES) {
            throw new IllegalStateException("static files under classpath " + prefix + " hold more than "
                    + MAX_TOTAL_BYTES + " bytes");
        }
        files.put(key, new File(body, contentType(key), etag(body)));
    }

    /** The file a decoded request path names ({@code /} and {@code /dir/} name their {@code index.html}), or null. */
    public File find(String path) {
        return files.get(path.endsWith("/") ? path + "index.html" : path);
    }

    /** How many files there are. */
    public int size() {
        return files.size();
    }

    static String contentType(String path) {
        int dot = path.lastIndexOf('.');
        String extension = dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
        return switch (extension) {
            case "html", "htm" -> "text/html; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "json", "map" -> "application/json";
            case "webmanifest" -> "application/manifest+json";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            case "txt" -> "text/plain; charset=utf-8";
            case "woff2" -> "font/woff2";
            default -> "application/octet-stream";
        };
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }
}
