package dev.switchboard.framework.internal.websocket;

import io.github.classgraph.ClassGraph;
import io.github.classgraph.Resource;
import io.github.classgraph.ScanResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
     * elements hold one path, the first wins, as for a class loader.
     *
     * @throws IllegalStateException naming the directory when it holds no file, or more than
     *     {@link #MAX_TOTAL_BYTES}, or a file cannot be read
     */
    public static StaticFiles load(String root) {
        Map<String, File> files = new LinkedHashMap<>();
        long total = 0;
        String prefix = root + "/";
        try (ScanResult scan = new ClassGraph().acceptPaths(root).scan()) {
            for (Resource resource : scan.getAllResources()) {
                String path = resource.getPath();
                if (!path.startsWith(prefix) || path.endsWith(".class") || path.endsWith("/")) {
                    continue;
                }
                String key = "/" + path.substring(prefix.length());
                if (files.containsKey(key)) {
                    continue;
                }
                byte[] body;
                try {
                    body = resource.load();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read static file " + path + ": " + e.getMessage(), e);
                }
                total += body.length;
                if (total > MAX_TOTAL_BYTES) {
                    throw new IllegalStateException("static files under classpath " + root + "/ hold more than "
                            + MAX_TOTAL_BYTES + " bytes");
                }
                files.put(key, new File(body, contentType(key), etag(body)));
            }
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no static files under classpath " + root + "/ (is it on the classpath?)");
        }
        return new StaticFiles(files);
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
