package dev.switchboard.im.server.ops;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.ConnectionListener;
import dev.switchboard.im.server.session.SessionRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Forgets a connection's login when it closes, and counts connections. */
@Singleton
public final class SessionCleanup implements ConnectionListener {

    private final SessionRegistry sessions;
    private final ConnectionCounter counter;

    @Inject
    public SessionCleanup(SessionRegistry sessions, ConnectionCounter counter) {
        this.sessions = sessions;
        this.counter = counter;
    }

    @Override
    public void opened(Connection connection) {
        counter.opened();
    }

    @Override
    public void closed(Connection connection) {
        counter.closed();
        sessions.unbind(connection);
    }
}
