package dev.switchboard.im.server.session;

import dev.switchboard.framework.Connection;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collection;

/**
 * Pushes an {@link OnlineNotice} to the users' devices online anywhere: this node's, and through {@link OtherNodes}
 * the other nodes' (which call {@link #pushHere}).
 */
@Singleton
public final class OnlineNotices {

    private final SessionRegistry sessions;
    private final OtherNodes otherNodes;

    @Inject
    public OnlineNotices(SessionRegistry sessions, OtherNodes otherNodes) {
        this.sessions = sessions;
        this.otherNodes = otherNodes;
    }

    /**
     * To every online device of these users on every node, except the {@code except} connection (the one whose
     * request it answers; null for none). Any thread.
     */
    public void push(Collection<String> userIds, OnlineNotice notice, Connection except) {
        if (userIds.isEmpty()) {
            return;
        }
        otherNodes.notifyOnline(userIds, notice);
        sessions.notifyOnline(userIds, notice, except);
    }

    /** To this node's devices of these users: a notice another node passed on. Any thread. */
    public void pushHere(Collection<String> userIds, OnlineNotice notice) {
        sessions.notifyOnline(userIds, notice, null);
    }
}
