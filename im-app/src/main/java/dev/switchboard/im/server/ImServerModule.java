package dev.switchboard.im.server;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import dev.switchboard.im.store.StorageFailureListener;
import java.time.Clock;

/**
 * Binds the server's settings, clock and what to do when storage fails for good; features are plain injected
 * classes. Binds only, opens nothing.
 */
public final class ImServerModule extends AbstractModule {

    private final ImServerSettings settings;
    private final Clock clock;
    private final StorageFailureListener onStorageFailure;

    public ImServerModule(ImServerSettings settings, Clock clock, StorageFailureListener onStorageFailure) {
        this.settings = settings;
        this.clock = clock;
        this.onStorageFailure = onStorageFailure;
    }

    @Override
    protected void configure() {
        bind(ImServerSettings.class).toInstance(settings);
        bind(Clock.class).toInstance(clock);
        OptionalBinder.newOptionalBinder(binder(), StorageFailureListener.class)
                .setBinding().toInstance(onStorageFailure);
    }
}
