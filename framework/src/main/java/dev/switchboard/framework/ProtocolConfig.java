package dev.switchboard.framework;

import dev.switchboard.framework.wire.DefaultWireFormat;
import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.Serializers;
import dev.switchboard.framework.wire.WireFormat;
import com.google.inject.Injector;
import com.google.inject.Module;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Settings shared by servers and clients: what to scan, how to wire it, how frames look, and the limits.
 *
 * @param <S> the concrete configuration, returned by every setter for chaining
 */
public abstract class ProtocolConfig<S extends ProtocolConfig<S>> {

    /** Default largest body accepted or sent: 1 MiB. */
    public static final int DEFAULT_MAX_BODY_LENGTH = 1 << 20;

    final List<String> packages = new ArrayList<>();
    final List<Module> modules = new ArrayList<>();
    final List<Serializer> serializers = new ArrayList<>(List.of(Serializers.json(), Serializers.jsonb()));
    final List<Function<Injector, Interceptor>> interceptors = new ArrayList<>();
    Function<Injector, ErrorHandler> errorHandler = injector -> ErrorHandler.SILENT;
    WireFormat wireFormat = new DefaultWireFormat();
    int maxBodyLength = DEFAULT_MAX_BODY_LENGTH;
    Duration readerIdleTimeout = Duration.ofSeconds(15);
    int ioThreads = 0; // 0: one event loop per core on servers, one on clients
    int businessThreads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    int businessQueue = 10_000;
    int maxQueuedPerConnection = 256;

    ProtocolConfig() {}

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    /** Packages to scan for {@link Command} packets and {@link Handles} methods (sub-packages included). */
    public S scan(String... packageNames) {
        for (String name : packageNames) {
            packages.add(requireNonNull(name, "package"));
        }
        return self();
    }

    /** The application's Guice modules; handlers and their dependencies come from one injector built from them. */
    public S modules(Module... guiceModules) {
        for (Module module : guiceModules) {
            modules.add(requireNonNull(module, "module"));
        }
        return self();
    }

    /** The frame layout; {@link DefaultWireFormat} unless set. */
    public S wireFormat(WireFormat format) {
        this.wireFormat = requireNonNull(format, "wireFormat");
        return self();
    }

    /** Replaces the serializers (JSON and JSONB by default). */
    public S serializers(Serializer... all) {
        if (all.length == 0) {
            throw new IllegalArgumentException("at least one serializer is needed");
        }
        serializers.clear();
        for (Serializer serializer : all) {
            serializers.add(requireNonNull(serializer, "serializer"));
        }
        return self();
    }

    /** Largest body accepted or sent, in bytes (default 1 MiB); a longer frame closes the connection. */
    public S maxBodyLength(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxBodyLength < 0: " + bytes);
        }
        this.maxBodyLength = bytes;
        return self();
    }

    /** Close a connection on which nothing was read for this long (default 15 s); zero disables. */
    public S readerIdleTimeout(Duration timeout) {
        this.readerIdleTimeout = requireNonNull(timeout, "readerIdleTimeout");
        return self();
    }

    /** Turns failures into replies; by default nothing is replied and the failure is logged. */
    public S errorHandler(ErrorHandler handler) {
        requireNonNull(handler, "errorHandler");
        this.errorHandler = injector -> handler;
        return self();
    }

    /** An error handler created by the injector, so it can have dependencies. */
    public S errorHandler(Class<? extends ErrorHandler> type) {
        requireNonNull(type, "errorHandler");
        this.errorHandler = injector -> injector.getInstance(type);
        return self();
    }

    /** Adds an interceptor around every handler call; interceptors run in the order added. */
    public S interceptor(Interceptor interceptor) {
        requireNonNull(interceptor, "interceptor");
        interceptors.add(injector -> interceptor);
        return self();
    }

    /** Adds an interceptor created by the injector. */
    public S interceptor(Class<? extends Interceptor> type) {
        requireNonNull(type, "interceptor");
        interceptors.add(injector -> injector.getInstance(type));
        return self();
    }

    /**
     * Event loop threads; 0 (default) means one per core for a server (more only adds context switches when the
     * loops are busy) and one for a client.
     */
    public S ioThreads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("ioThreads < 0: " + threads);
        }
        this.ioThreads = threads;
        return self();
    }

    /** Threads and queue length of the bounded executor that runs blocking handlers. */
    public S businessExecutor(int threads, int queueLength) {
        if (threads < 1 || queueLength < 1) {
            throw new IllegalArgumentException("business executor needs threads >= 1 and queue >= 1, got "
                    + threads + " and " + queueLength);
        }
        this.businessThreads = threads;
        this.businessQueue = queueLength;
        return self();
    }

    /** Packets held per connection while a blocking handler runs before reading stops (default 256). */
    public S maxQueuedPerConnection(int packets) {
        if (packets < 1) {
            throw new IllegalArgumentException("maxQueuedPerConnection < 1: " + packets);
        }
        this.maxQueuedPerConnection = packets;
        return self();
    }

    static <T> T requireNonNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " == null");
        }
        return value;
    }
}
