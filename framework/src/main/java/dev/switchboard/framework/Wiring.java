package dev.switchboard.framework;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import dev.switchboard.framework.internal.codec.CodecRegistry;
import dev.switchboard.framework.internal.dispatch.HandlerTable;
import dev.switchboard.framework.internal.metrics.ServerMetrics;
import dev.switchboard.framework.internal.scan.ProtocolScanner;
import dev.switchboard.framework.internal.scan.ScannedProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a server or client builds at startup from its configuration: scan, codecs, injector, dispatch table. */
final class Wiring {

    private static final Logger log = LoggerFactory.getLogger(Wiring.class);

    final CodecRegistry registry;
    final Injector injector;
    final HandlerTable table;
    final ErrorHandler errorHandler;
    final List<Interceptor> interceptors;

    private Wiring(CodecRegistry registry, Injector injector, HandlerTable table, ErrorHandler errorHandler,
            List<Interceptor> interceptors) {
        this.registry = registry;
        this.injector = injector;
        this.table = table;
        this.errorHandler = errorHandler;
        this.interceptors = interceptors;
    }

    static Wiring build(ProtocolConfig<?> config, ProtocolScanner.Side scanning) {
        String side = scanning.name().toLowerCase(java.util.Locale.ROOT);
        long start = System.nanoTime();
        // The serializers' checks (fastjson2 generating each packet's reader and writer) run on a thread of their
        // own while the injector is created; both are done before anything is bound.
        ScannedProtocol protocol = ProtocolScanner.begin(config.packages, config.wireFormat, config.serializers,
                scanning, ProtocolScanner.Finder.INDEX_OR_CLASSGRAPH, CHECKS);
        long scanned = System.nanoTime();
        Injector injector;
        HandlerTable table;
        ErrorHandler errorHandler;
        List<Interceptor> interceptors;
        long injected;
        try {
            List<Module> modules = new ArrayList<>(config.modules);
            modules.add(new FrameworkModule());
            injector = Guice.createInjector(modules);
            injected = System.nanoTime();
            table = HandlerTable.build(protocol.handlers(), injector);
            errorHandler = config.errorHandler.apply(injector);
            interceptors = create(config.interceptors, injector);
        } catch (RuntimeException e) {
            protocol.awaitSerializerChecks(); // a protocol error comes first, as when the checks ran before
            throw e;
        }
        long built = System.nanoTime();
        Duration checks = protocol.awaitSerializerChecks();
        long checked = System.nanoTime();
        CodecRegistry registry = new CodecRegistry(config.wireFormat, protocol.packetTypes(), config.serializers);
        long end = System.nanoTime();
        log.info("{} wired: {} packets, {} handlers in {} ms (scan {} ms, of which finding {} ms in {}; injector"
                        + " {} ms; handlers {} ms; serializer checks {} ms alongside, {} ms waited for)", side,
                protocol.packetTypes().size(), table.size(), millis(end - start), protocol.took().toMillis(),
                protocol.finding().toMillis(), protocol.source(), millis(injected - scanned),
                millis(built - injected), checks.toMillis(), millis(checked - built));
        return new Wiring(registry, injector, table, errorHandler, interceptors);
    }

    /** Runs each task on a new daemon thread: the serializers' checks of one start. */
    private static final Executor CHECKS = task -> {
        Thread thread = new Thread(task, "switchboard-protocol-checks");
        thread.setDaemon(true);
        thread.start();
    };

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    static <T> List<T> create(List<Function<Injector, T>> factories, Injector injector) {
        List<T> created = new ArrayList<>();
        for (Function<Injector, T> factory : factories) {
            created.add(factory.apply(injector));
        }
        return List.copyOf(created);
    }

    /** The meters of a server with this wiring, or null when its configuration has no registry. */
    ServerMetrics metrics(ServerConfig config) {
        return config.metrics == null ? null
                : new ServerMetrics(config.metrics, registry.packetTypes(), type -> table.get(type) != null,
                        config.latencySampling);
    }

    /** The application's services, in binding order. */
    List<Service> services() {
        return List.copyOf(injector.getInstance(Key.get(new TypeLiteral<Set<Service>>() {})));
    }

    static ThreadPoolExecutor businessExecutor(ProtocolConfig<?> config, String name) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, name + "-business-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new ThreadPoolExecutor(config.businessThreads, config.businessThreads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.businessQueue), threads, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Declares the framework's own multibinding so that applications without services still inject an empty set. */
    private static final class FrameworkModule extends AbstractModule {
        @Override
        protected void configure() {
            Multibinder.newSetBinder(binder(), Service.class);
        }
    }
}
