package dev.switchboard.framework.internal.scan;

import dev.switchboard.framework.Command;
import dev.switchboard.framework.Handles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The protocol index that {@link ProtocolIndexProcessor} writes at compile time, one per class path entry (a jar, a
 * class directory), at {@value #RESOURCE}, and how the scanner uses it instead of ClassGraph. A line per type the
 * compilation produced, by binary name, sorted: {@code C} for a {@code @Command} class, {@code H} for a class
 * declaring {@code @Handles} methods, {@code -} for any other; {@code #} starts a comment.
 *
 * <pre>
 * # switchboard protocol index 1
 * C com.example.chat.Greet
 * H com.example.chat.GreeterHandlers
 * - com.example.chat.Guestbook
 * </pre>
 *
 * <p>Files of that name from several jars are all read ({@link ClassLoader#getResources}), each for its own class
 * path entry; a jar merging several into one (a shaded jar) may concatenate them. The index is used only when it
 * provably covers the packages asked for, otherwise {@link #lookup} says why and the scanner uses ClassGraph:
 * <ul>
 *   <li>every class path entry holding one of the packages must have an index that lists types in it (one built
 *       without the processor has none; a shaded jar that kept only one module's index lists none of the others');
 *   <li>in a class directory, where IDEs and incremental builds recompile some files only, the index must match
 *       the class files: each one listed, none listed missing, and none listed as plain that names {@code Command}
 *       or {@code Handles} in its bytes (a class recompiled without the processor);
 *   <li>every class listed as a command or handler must load and still carry its annotation.
 * </ul>
 * A jar is trusted not to hold classes of a listed package that its index does not list (listing a jar's entries
 * would cost what the index saves): it is written by one build, the same compilation that wrote its classes.
 */
public final class ProtocolIndex {

    /** Where each class path entry keeps its index. */
    public static final String RESOURCE = "META-INF/switchboard/protocol-index";

    private static final String HEADER = "# switchboard protocol index 1";
    private static final byte[] COMMAND_DESCRIPTOR = descriptor(Command.class);
    private static final byte[] HANDLES_DESCRIPTOR = descriptor(Handles.class);

    private ProtocolIndex() {}

    /** What a type is to the protocol. */
    enum Kind {
        COMMAND('C'),
        HANDLERS('H'),
        OTHER('-');

        final char letter;

        Kind(char letter) {
            this.letter = letter;
        }

        static Kind of(char letter) {
            for (Kind kind : values()) {
                if (kind.letter == letter) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown kind '" + letter + "'");
        }
    }

    /** The result of a {@link #lookup}: the classes the index names, or why it cannot be used. */
    sealed interface Lookup {
        /** The index covers the packages: these classes, loaded, by name. */
        record Found(List<Class<?>> packets, List<Class<?>> handlers) implements Lookup {}

        /** The index does not cover the packages (or there is none); the reason, for the log. */
        record Unusable(String reason) implements Lookup {}
    }

    static void write(Map<String, Kind> types, Writer out) throws IOException {
        out.write(HEADER + "\n");
        for (Map.Entry<String, Kind> type : new TreeMap<>(types).entrySet()) {
            out.write(type.getValue().letter + " " + type.getKey() + "\n");
        }
    }

    /** @throws IllegalArgumentException naming the line that is not an index line */
    static Map<String, Kind> read(Reader in) throws IOException {
        Map<String, Kind> types = new TreeMap<>();
        BufferedReader lines = new BufferedReader(in);
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.length() < 3 || line.charAt(1) != ' ') {
                throw new IllegalArgumentException("not a protocol index line: " + line);
            }
            types.put(line.substring(2).strip(), Kind.of(line.charAt(0)));
        }
        return types;
    }

    /**
     * Finds the packets and handler classes of the packages (sub-packages included) in the indexes the loader
     * sees, or says why the indexes do not cover them.
     */
    static Lookup lookup(ClassLoader loader, List<String> packages) {
        try {
            return find(loader, packages);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            return new Lookup.Unusable("cannot read it: " + e.getMessage());
        }
    }

    private static Lookup find(ClassLoader loader, List<String> packages) throws IOException {
        Map<String, Map<String, Kind>> indexes = new HashMap<>(); // class path entry -> its index
        Enumeration<URL> found = loader.getResources(RESOURCE);
        while (found.hasMoreElements()) {
            URL url = found.nextElement();
            try (InputStream in = url.openStream()) {
                indexes.computeIfAbsent(entry(url, RESOURCE), any -> new TreeMap<>())
                        .putAll(read(new InputStreamReader(in, StandardCharsets.UTF_8)));
            }
        }
        if (indexes.isEmpty()) {
            return new Lookup.Unusable("there is none on the class path");
        }
        Set<String> packets = new TreeSet<>();
        Set<String> handlers = new TreeSet<>();
        for (String pkg : packages) {
            String path = pkg.replace('.', '/');
            Enumeration<URL> holders = loader.getResources(path);
            if (!holders.hasMoreElements()) {
                return new Lookup.Unusable("no class path entry holds package " + pkg);
            }
            while (holders.hasMoreElements()) {
                String entry = entry(holders.nextElement(), path);
                Map<String, Kind> index = indexes.get(entry);
                if (index == null) {
                    return new Lookup.Unusable(entry + " holds package " + pkg + " but has no index");
                }
                Map<String, Kind> listed = within(index, pkg);
                if (listed.isEmpty()) {
                    return new Lookup.Unusable("the index of " + entry + " lists nothing in package " + pkg);
                }
                if (entry.startsWith("file:")) {
                    String stale = staleness(Paths.get(URI.create(entry)), path, listed, loader);
                    if (stale != null) {
                        return new Lookup.Unusable("the index of " + entry + " is stale: " + stale);
                    }
                }
                listed.forEach((name, kind) -> {
                    if (kind == Kind.COMMAND) {
                        packets.add(name);
                    } else if (kind == Kind.HANDLERS) {
                        handlers.add(name);
                    }
                });
            }
        }
        List<Class<?>> packetClasses = new ArrayList<>();
        for (String name : packets) {
            Class<?> type = load(name, loader);
            if (type == null || !type.isAnnotationPresent(Command.class)) {
                return new Lookup.Unusable("it lists " + name + " as a @Command class, but "
                        + (type == null ? "it cannot be loaded" : "it is not one"));
            }
            packetClasses.add(type);
        }
        List<Class<?>> handlerClasses = new ArrayList<>();
        for (String name : handlers) {
            Class<?> type = load(name, loader);
            if (type == null || !declaresHandlers(type)) {
                return new Lookup.Unusable("it lists " + name + " as declaring @Handles methods, but "
                        + (type == null ? "it cannot be loaded" : "it declares none"));
            }
            handlerClasses.add(type);
        }
        return new Lookup.Found(packetClasses, handlerClasses);
    }

    /** The class path entry a resource URL belongs to: the URL without the resource's path. */
    private static String entry(URL url, String path) {
        String text = url.toString();
        if (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        if (!text.endsWith(path)) {
            throw new IllegalArgumentException("resource URL " + text + " does not end with " + path);
        }
        return text.substring(0, text.length() - path.length());
    }

    private static Map<String, Kind> within(Map<String, Kind> index, String pkg) {
        Map<String, Kind> listed = new TreeMap<>();
        String prefix = pkg + ".";
        index.forEach((name, kind) -> {
            if (name.startsWith(prefix)) {
                listed.put(name, kind);
            }
        });
        return listed;
    }

    /**
     * Compares a class directory's class files under {@code path} with what its index lists there: null when they
     * match, else the first difference.
     */
    private static String staleness(Path root, String path, Map<String, Kind> listed, ClassLoader loader)
            throws IOException {
        Path dir = root.resolve(path);
        if (!Files.isDirectory(dir)) {
            return null; // a URL that is not a directory of this file system: nothing to compare
        }
        Set<String> seen = new HashSet<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(file -> file.getFileName().toString().endsWith(".class")).toList();
        }
        for (Path file : files) {
            String relative = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            String name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
            String simple = name.substring(name.lastIndexOf('.') + 1);
            if (simple.equals("package-info") || simple.equals("module-info")) {
                continue;
            }
            Kind kind = listed.get(name);
            if (kind == null && !local(simple)) {
                return name + " is not listed (compiled without the index processor?)";
            }
            seen.add(name);
            if ((kind == null || kind == Kind.OTHER) && mentionsProtocolAnnotations(Files.readAllBytes(file))
                    && isProtocolClass(name, loader)) {
                return name + " names @Command or @Handles but is not listed as such (recompiled without the"
                        + " index processor?)";
            }
        }
        for (String name : listed.keySet()) {
            if (!seen.contains(name)) {
                return name + " is listed but has no class file";
            }
        }
        return null;
    }

    /** Anonymous and local classes ({@code Outer$1}, {@code Outer$1Local}): javac shows them to no processor. */
    private static boolean local(String simpleBinaryName) {
        int dollar = simpleBinaryName.lastIndexOf('$');
        return dollar >= 0 && dollar + 1 < simpleBinaryName.length()
                && Character.isDigit(simpleBinaryName.charAt(dollar + 1));
    }

    /**
     * Whether a class file's constant pool holds the descriptor of {@code @Command} or {@code @Handles}: always so
     * for a class carrying either, and sometimes for others (a local variable of that type), which
     * {@link #isProtocolClass} then tells apart.
     */
    static boolean mentionsProtocolAnnotations(byte[] classFile) {
        return contains(classFile, COMMAND_DESCRIPTOR) || contains(classFile, HANDLES_DESCRIPTOR);
    }

    private static boolean contains(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0, last = bytes.length - part.length; i <= last; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The constant pool entry naming the annotation's type: tag 1 (UTF-8), length, {@code Lpackage/Name;}. */
    private static byte[] descriptor(Class<?> annotation) {
        byte[] text = ("L" + annotation.getName().replace('.', '/') + ";").getBytes(StandardCharsets.UTF_8);
        byte[] entry = new byte[text.length + 3];
        entry[0] = 1;
        entry[1] = (byte) (text.length >>> 8);
        entry[2] = (byte) text.length;
        System.arraycopy(text, 0, entry, 3, text.length);
        return entry;
    }

    /** Whether the class carries {@code @Command} or declares {@code @Handles} methods (or cannot be loaded). */
    private static boolean isProtocolClass(String name, ClassLoader loader) {
        Class<?> type = load(name, loader);
        try {
            return type == null || type.isAnnotationPresent(Command.class) || declaresHandlers(type);
        } catch (LinkageError e) {
            return true; // its methods name a class that is gone: as stale as it gets
        }
    }

    private static boolean declaresHandlers(Class<?> type) {
        for (Method method : type.getDeclaredMethods()) {
            if (method.isAnnotationPresent(Handles.class)) {
                return true;
            }
        }
        return false;
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
