package dev.switchboard.framework.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reports a leaked buffer while (or before) it ran.
 *
 * <p>Registered for every test class through {@code META-INF/services/org.junit.jupiter.api.extension.Extension}
 * and {@code junit.jupiter.extensions.autodetection.enabled=true} in {@code junit-platform.properties}; the test
 * JVM runs with {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked. Loading this class
 * installs a {@link ResourceLeakDetectorFactory} whose detectors record each leak report instead of only logging
 * it. After each test class it collects garbage a few times and allocates and releases buffers (which makes the
 * detector poll its reference queue), then fails with every report recorded, access records included.
 *
 * <p>The factory must be installed before Netty's {@code AbstractByteBuf} is initialised; {@link #beforeAll}
 * checks it was and fails loudly otherwise (a test touching buffers in a static initialiser before JUnit loaded
 * the extension would make the whole check silently useless).
 *
 * <p>Shared with other modules through the framework's test-jar: add the same two resource files there.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {

    private static final int GC_ROUNDS = 4;
    private static final List<String> reports = new ArrayList<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        // The build sets -Dio.netty.leakDetection.level=paranoid; this keeps IDE runs just as strict.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!installed()) {
            throw new IllegalStateException("LeakCheckExtension was loaded after Netty's ByteBuf leak detector was "
                    + "created, so leaks cannot be recorded: make sure nothing allocates buffers before JUnit "
                    + "starts, and that extension autodetection is enabled");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> leaks = collect(report -> true, GC_ROUNDS);
        if (!leaks.isEmpty()) {
            String message = leaks.size() + " leak(s) reported by Netty's leak detector during or before "
                    + context.getDisplayName() + ":\n\n" + String.join("\n\n", leaks);
            System.err.println(message);
            throw new AssertionError(message);
        }
    }

    /** Whether the recording detector is the one Netty's buffers report to. */
    public static boolean installed() {
        try {
            Field field = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
            field.setAccessible(true);
            return field.get(null) instanceof RecordingDetector;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot inspect Netty's ByteBuf leak detector", e);
        }
    }

    /**
     * The check itself: forces pending leak reports out (garbage collection, then buffer allocations, which make
     * the detector poll its queue), and removes and returns the recorded reports {@code which} accepts. Stops
     * early once such a report is found.
     */
    public static List<String> collect(Predicate<String> which, int rounds) {
        for (int round = 0; round < rounds; round++) {
            System.gc();
            try {
                Thread.sleep(10); // the reference handler thread enqueues the collected trackers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            poke(PooledByteBufAllocator.DEFAULT);
            poke(ByteBufAllocator.DEFAULT);
            Unpooled.buffer(1).release();
            synchronized (reports) {
                if (round > 0 && reports.stream().anyMatch(which)) {
                    break;
                }
            }
        }
        List<String> taken = new ArrayList<>();
        synchronized (reports) {
            reports.removeIf(report -> which.test(report) && taken.add(report));
        }
        return taken;
    }

    private static void poke(ByteBufAllocator allocator) {
        ByteBuf heap = allocator.heapBuffer(8);
        ByteBuf direct = allocator.directBuffer(8);
        heap.release();
        direct.release();
    }

    private static void record(String report) {
        synchronized (reports) {
            reports.add(report);
        }
    }

    /** Creates {@link RecordingDetector}s for every resource type. */
    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new RecordingDetector<>(resource, samplingInterval);
        }

        @Override
        @SuppressWarnings("deprecation") // abstract in Netty, so it must be implemented
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                long maxActive) {
            return newResourceLeakDetector(resource, samplingInterval);
        }
    }

    /** Records leak reports (always, whatever the logger's level) instead of only logging them. */
    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected."
                    + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected "
                    + "(no access records: run with -Dio.netty.leakDetection.level=paranoid to see them).");
        }
    }
}
