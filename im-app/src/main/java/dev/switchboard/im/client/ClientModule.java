package dev.switchboard.im.client;

import com.google.inject.AbstractModule;

/** Binds what {@link ClientHandlers} need: the one session and the names seen so far. Only binds. */
final class ClientModule extends AbstractModule {

    private final ChatSession session;
    private final KnownNames names;

    ClientModule(ChatSession session, KnownNames names) {
        this.session = session;
        this.names = names;
    }

    @Override
    protected void configure() {
        bind(ChatSession.class).toInstance(session);
        bind(KnownNames.class).toInstance(names);
    }
}
