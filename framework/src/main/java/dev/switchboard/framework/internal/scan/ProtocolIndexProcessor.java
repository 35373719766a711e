package dev.switchboard.framework.internal.scan;

import dev.switchboard.framework.Command;
import dev.switchboard.framework.Handles;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.FilerException;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes the {@link ProtocolIndex} of a compilation to {@value ProtocolIndex#RESOURCE} in the class output: every
 * type the compilation produced, and which of them carry {@code @Command} or declare {@code @Handles} methods. At
 * startup the scanner reads that instead of scanning the class path with ClassGraph.
 *
 * <p>Registered in {@code META-INF/services/javax.annotation.processing.Processor}, so javac runs it in any
 * compilation that has the framework on its class path (or, where a build names its processors explicitly, on its
 * processor path). It claims no annotation and generates no source.
 *
 * <p>An incremental compilation (an IDE recompiling the changed files only) sees only some of the types: the index
 * of the previous compilation is read back and its entries for the types not recompiled are kept, as long as the
 * type still exists. Whatever the processor cannot see (classes compiled without it) the scanner detects at
 * startup, and then scans with ClassGraph instead; see {@link ProtocolIndex}.
 */
public final class ProtocolIndexProcessor extends AbstractProcessor {

    private static final String COMMAND = Command.class.getCanonicalName();
    private static final String HANDLES = Handles.class.getCanonicalName();

    /** This compilation's types, by binary name. */
    private final Map<String, ProtocolIndex.Kind> types = new TreeMap<>();
    /** Binary names of this compilation's top-level types: the previous index's entries for them are replaced. */
    private final Set<String> roots = new HashSet<>();

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of("*"); // every compilation round, annotated or not: the index lists every type
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (Element root : round.getRootElements()) {
            if (root instanceof TypeElement type) {
                roots.add(binaryName(type));
                record(type);
            }
        }
        if (round.processingOver()) {
            write();
        }
        return false; // claims nothing: other processors see every annotation
    }

    private void record(TypeElement type) {
        types.put(binaryName(type), kindOf(type));
        for (Element member : type.getEnclosedElements()) {
            if (member instanceof TypeElement nested) {
                record(nested);
            }
        }
    }

    private static ProtocolIndex.Kind kindOf(TypeElement type) {
        if (annotated(type, COMMAND)) {
            return ProtocolIndex.Kind.COMMAND;
        }
        for (Element member : type.getEnclosedElements()) {
            if (member.getKind() == ElementKind.METHOD && annotated(member, HANDLES)) {
                return ProtocolIndex.Kind.HANDLERS;
            }
        }
        return ProtocolIndex.Kind.OTHER;
    }

    private static boolean annotated(Element element, String annotation) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            Element declaration = mirror.getAnnotationType().asElement();
            if (declaration instanceof TypeElement type && type.getQualifiedName().contentEquals(annotation)) {
                return true;
            }
        }
        return false;
    }

    private String binaryName(TypeElement type) {
        return processingEnv.getElementUtils().getBinaryName(type).toString();
    }

    private void write() {
        if (types.isEmpty()) {
            return; // nothing compiled (only package-info files, say): leave any previous index as it is
        }
        Map<String, ProtocolIndex.Kind> merged = new TreeMap<>(types);
        previous().forEach((name, kind) -> {
            if (!merged.containsKey(name) && !roots.contains(topLevel(name)) && stillExists(name)) {
                merged.put(name, kind);
            }
        });
        try {
            FileObject file = processingEnv.getFiler()
                    .createResource(StandardLocation.CLASS_OUTPUT, "", ProtocolIndex.RESOURCE);
            try (Writer out = file.openWriter()) {
                ProtocolIndex.write(merged, out);
            }
        } catch (FilerException e) {
            // Another round or processor already wrote it: javac allows one writer per file and compilation.
            processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE,
                    "switchboard protocol index not written: " + e.getMessage());
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                    "cannot write " + ProtocolIndex.RESOURCE + ": " + e.getMessage());
        }
    }

    /** The index a previous compilation left in the class output, or nothing. */
    private Map<String, ProtocolIndex.Kind> previous() {
        try {
            FileObject file = processingEnv.getFiler()
                    .getResource(StandardLocation.CLASS_OUTPUT, "", ProtocolIndex.RESOURCE);
            try (Reader in = file.openReader(true)) {
                return ProtocolIndex.read(in);
            }
        } catch (IOException | IllegalArgumentException e) {
            return Map.of(); // none (the first compilation), or not one we can read: this compilation's types only
        }
    }

    private boolean stillExists(String binaryName) {
        return processingEnv.getElementUtils().getTypeElement(binaryName.replace('$', '.')) != null;
    }

    private static String topLevel(String binaryName) {
        int dollar = binaryName.indexOf('$', binaryName.lastIndexOf('.') + 1);
        return dollar < 0 ? binaryName : binaryName.substring(0, dollar);
    }
}
