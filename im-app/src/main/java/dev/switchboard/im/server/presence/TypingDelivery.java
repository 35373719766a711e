package dev.switchboard.im.server.presence;

import dev.switchboard.im.protocol.TypingNotice;
import dev.switchboard.im.server.session.OtherNodes;
import dev.switchboard.im.server.session.SessionRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Puts a typing notice on the online v2 devices of its recipients: this node's, and through {@link OtherNodes} the
 * other nodes' (which call {@link #pushHere}). Ephemeral: a device that misses it misses nothing that matters.
 */
@Singleton
public final class TypingDelivery {

    private final SessionRegistry sessions;
    private final OtherNodes otherNodes;

    @Inject
    public TypingDelivery(SessionRegistry sessions, OtherNodes otherNodes) {
        this.sessions = sessions;
        this.otherNodes = otherNodes;
    }

    /** To the recipients' devices everywhere, the sender's own account excepted. */
    void push(List<String> userIds, TypingNotice notice) {
        List<String> recipients = userIds.stream().filter(id -> !id.equals(notice.fromUserId())).toList();
        if (recipients.isEmpty()) {
            return;
        }
        otherNodes.typing(recipients, notice);
        pushHere(recipients, notice);
    }

    /**
     * To this node's online v2 devices of these users, where they are still logged in and reading. Any thread. The
     * users are the recipients {@link #push} chose, here or on another node: the sender's account is not among them.
     */
    public void pushHere(List<String> userIds, TypingNotice notice) {
        sessions.notifyOnlineV2(userIds, notice);
    }
}
