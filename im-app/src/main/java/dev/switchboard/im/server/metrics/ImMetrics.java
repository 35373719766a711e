package dev.switchboard.im.server.metrics;

import dev.switchboard.im.server.AdminSettings;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.StorageFailedException;
import dev.switchboard.im.store.StoreException;
import dev.switchboard.im.store.StoreOverloadedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The IM's meters, under {@code switchboard.im.*}, resolved once here so that recording is an increment on a field,
 * never a registry lookup or a tag built per message. Thread-safe (Micrometer's meters are). Also binds the
 * {@link MeterBinder}s the store contributes (the SQLite writer's queue and commits), so that the store needs no
 * server type. Without the admin listener the registry is an empty composite, whose meters record nothing.
 */
@Singleton
public final class ImMetrics {

    /** How a login proved who it is: the {@code method} tag. */
    public enum LoginMethod {
        PASSWORD, TOKEN
    }

    /** Upper bounds of the delivery-lag histogram's buckets: 1 ms to 10 s. */
    private static final Duration[] LAG_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final Clock clock;
    private final int lagSampling;
    private final Map<LoginMethod, Counter> loginsOk = new EnumMap<>(LoginMethod.class);
    private final Map<LoginMethod, Counter> loginsRefused = new EnumMap<>(LoginMethod.class);
    // Per-message counts are LongAdders read by FunctionCounters: an adder's increment is the cheapest thread-safe
    // one (a Prometheus Counter adds a DoubleAdder and an exemplar check to it).
    private final LongAdder stored = new LongAdder();
    private final LongAdder deliveredLive = new LongAdder();
    private final LongAdder deliveredBacklog = new LongAdder();
    private final Counter backlogPages;
    private final Timer deliveryLag;
    private final Counter storeOverloaded;
    private final Counter storeFailed;
    private final Counter storeFatal;

    @Inject
    ImMetrics(MeterRegistry registry, SessionRegistry sessions, Set<MeterBinder> binders, Clock clock,
            ImServerSettings settings) {
        this(registry, sessions, binders, clock, settings.admin().map(AdminSettings::latencySampling).orElse(1));
    }

    /** @param lagSampling the delivery lag histogram times one live delivery in this many, at random */
    public ImMetrics(MeterRegistry registry, SessionRegistry sessions, Set<MeterBinder> binders, Clock clock,
            int lagSampling) {
        if (lagSampling < 1) {
            throw new IllegalArgumentException("lagSampling < 1: " + lagSampling);
        }
        this.clock = clock;
        this.lagSampling = lagSampling;
        for (LoginMethod method : LoginMethod.values()) {
            loginsOk.put(method, login(registry, method, "ok"));
            loginsRefused.put(method, login(registry, method, "refused"));
        }
        FunctionCounter.builder("switchboard.im.messages.stored", stored, LongAdder::doubleValue)
                .description("Chat messages stored (direct and group; a retried clientMsgId is not counted again)")
                .register(registry);
        delivered(registry, "live", deliveredLive);
        delivered(registry, "backlog", deliveredBacklog);
        backlogPages = Counter.builder("switchboard.im.backlog.pages")
                .description("Pages of a device's backlog read from the store (after a login, a gap or a pause)")
                .register(registry);
        deliveryLag = Timer.builder("switchboard.im.delivery.lag")
                .description("From storing a message to writing it to an online device, live deliveries only")
                .serviceLevelObjectives(LAG_BUCKETS).register(registry);
        storeOverloaded = storeError(registry, "overloaded");
        storeFailed = storeError(registry, "failed");
        storeFatal = storeError(registry, "fatal");
        Gauge.builder("switchboard.im.users.online", sessions, SessionRegistry::onlineUsers)
                .description("Accounts with at least one device logged in now").strongReference(true)
                .register(registry);
        Gauge.builder("switchboard.im.devices.online", sessions, SessionRegistry::onlineDevices)
                .description("Devices (logged-in connections) now").strongReference(true).register(registry);
        binders.forEach(binder -> binder.bindTo(registry));
    }

    /** Meters that record nothing, for tests that build handlers by hand. */
    public static ImMetrics none() {
        return new ImMetrics(new CompositeMeterRegistry(), new SessionRegistry(), Set.of(), Clock.systemUTC(), 1);
    }

    private static Counter login(MeterRegistry registry, LoginMethod method, String outcome) {
        return Counter.builder("switchboard.im.logins").description("Login attempts answered, by method and outcome")
                .tag("method", method.name().toLowerCase(Locale.ROOT)).tag("outcome", outcome)
                .register(registry);
    }

    private static void delivered(MeterRegistry registry, String path, LongAdder count) {
        FunctionCounter.builder("switchboard.im.messages.delivered", count, LongAdder::doubleValue)
                .description("Messages written to a recipient's device, one per device: pushed as they were stored "
                        + "(live) or read from the store (backlog)")
                .tag("path", path).register(registry);
    }

    private static Counter storeError(MeterRegistry registry, String kind) {
        return Counter.builder("switchboard.im.store.errors")
                .description("Requests that failed because of the store: its queue was full (overloaded), an "
                        + "operation failed and the store went on (failed), the store stopped for good (fatal)")
                .tag("kind", kind).register(registry);
    }

    public void loggedIn(LoginMethod method) {
        loginsOk.get(method).increment();
    }

    public void loginRefused(LoginMethod method) {
        loginsRefused.get(method).increment();
    }

    /** A request failed with this store exception. */
    public void storeError(StoreException failure) {
        (failure instanceof StoreOverloadedException ? storeOverloaded
                : failure instanceof StorageFailedException ? storeFatal : storeFailed).increment();
    }

    public void stored() {
        stored.increment();
    }

    /** A page of a device's backlog was read from the store. */
    public void backlogPageRead() {
        backlogPages.increment();
    }

    /** A message read from the store (a device's backlog) was written to the device. */
    public void deliveredFromBacklog() {
        deliveredBacklog.increment();
    }

    /**
     * A live delivery of a message stored at {@code storedAtMillis} (the server clock) was written: counted, and its
     * lag timed if it falls in the sample.
     */
    public void deliveredLive(long storedAtMillis) {
        deliveredLive.increment();
        if (lagSampling > 1 && ThreadLocalRandom.current().nextInt(lagSampling) != 0) {
            return; // not in the sample: no clock read, no histogram update
        }
        long lag = clock.millis() - storedAtMillis;
        if (lag >= 0) { // a clock stepped back says nothing about lag
            deliveryLag.record(lag, TimeUnit.MILLISECONDS);
        }
    }
}
