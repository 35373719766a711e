package dev.switchboard.im.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.switchboard.framework.Service;
import dev.switchboard.im.server.auth.SharedLoginThrottle;
import dev.switchboard.im.server.chat.InboxAnnouncer;
import dev.switchboard.im.server.presence.PresenceService;
import dev.switchboard.im.server.presence.SharedPresence;
import dev.switchboard.im.server.presence.SingleNodePresence;
import dev.switchboard.im.server.session.DeviceListener;
import dev.switchboard.im.server.session.OtherNodes;
import dev.switchboard.im.store.StorageFailureListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Binds the server's settings, clock, metrics registry, the presence listener of the session registry and what to do when storage fails for good; features are
 * plain injected classes. Declares the set of {@link MeterBinder}s other modules (the store) contribute. Binds
 * only, opens nothing.
 */
public final class ImServerModule extends AbstractModule {

    private final ImServerSettings settings;
    private final Clock clock;
    private final StorageFailureListener onStorageFailure;
    private final MeterRegistry metrics;

    /** Without metrics: the IM's meters go to an empty composite registry, which records nothing. */
    public ImServerModule(ImServerSettings settings, Clock clock, StorageFailureListener onStorageFailure) {
        this(settings, clock, onStorageFailure, new CompositeMeterRegistry());
    }

    /** With metrics recorded in {@code metrics}; a Prometheus registry is also bound for {@code GET /metrics}. */
    public ImServerModule(ImServerSettings settings, Clock clock, StorageFailureListener onStorageFailure,
            MeterRegistry metrics) {
        this.settings = settings;
        this.clock = clock;
        this.onStorageFailure = onStorageFailure;
        this.metrics = metrics;
    }

    @Override
    protected void configure() {
        bind(ImServerSettings.class).toInstance(settings);
        bind(Clock.class).toInstance(clock);
        bind(MeterRegistry.class).toInstance(metrics);
        // Presence is always told of devices; a cluster node adds itself to this set.
        Multibinder.newSetBinder(binder(), DeviceListener.class).addBinding().to(PresenceService.class);
        OptionalBinder.newOptionalBinder(binder(), InboxAnnouncer.class).setDefault()
                .toInstance(InboxAnnouncer.SINGLE_NODE);
        OptionalBinder.newOptionalBinder(binder(), OtherNodes.class).setDefault().toInstance(OtherNodes.NONE);
        OptionalBinder.newOptionalBinder(binder(), SharedLoginThrottle.class).setDefault()
                .toInstance(SharedLoginThrottle.NONE);
        OptionalBinder.newOptionalBinder(binder(), SharedPresence.class).setDefault().to(SingleNodePresence.class);
        // Bound before the store's: started first, stopped after it (presence pushes outlive the last store read).
        Multibinder.newSetBinder(binder(), Service.class).addBinding().to(PresenceService.class);
        if (metrics instanceof PrometheusMeterRegistry prometheus) {
            bind(PrometheusMeterRegistry.class).toInstance(prometheus);
        }
        Multibinder.newSetBinder(binder(), MeterBinder.class);
        OptionalBinder.newOptionalBinder(binder(), StorageFailureListener.class)
                .setBinding().toInstance(onStorageFailure);
    }

    @Provides
    @Singleton
    DeviceListener deviceListener(Set<DeviceListener> listeners) {
        return DeviceListener.all(List.copyOf(listeners));
    }
}
