package dev.switchboard.im.server;

import com.google.inject.AbstractModule;
import java.time.Clock;

/** Binds the server's settings and clock; features are plain injected classes. Binds only, opens nothing. */
public final class ImServerModule extends AbstractModule {

    private final ImServerSettings settings;
    private final Clock clock;

    public ImServerModule(ImServerSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    protected void configure() {
        bind(ImServerSettings.class).toInstance(settings);
        bind(Clock.class).toInstance(clock);
    }
}
