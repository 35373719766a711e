package dev.switchboard.im.server.auth;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.ConnectionAttribute;
import dev.switchboard.framework.ConnectionLog;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.OtherNodes;
import dev.switchboard.im.server.session.SessionRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Closes a user's connections when the login rules say so (a spent resume token, log out everywhere), on this node
 * and, through {@link OtherNodes}, on the others. Between nodes a token travels only as its SHA-256, never itself.
 */
@Singleton
public final class DeviceCloser {

    /** The resume token a connection's login was issued. */
    static final ConnectionAttribute<String> ISSUED_TOKEN = ConnectionAttribute.named("im.token");

    private static final Logger log = LoggerFactory.getLogger(DeviceCloser.class);

    private final SessionRegistry sessions;
    private final OtherNodes otherNodes;

    @Inject
    public DeviceCloser(SessionRegistry sessions, OtherNodes otherNodes) {
        this.sessions = sessions;
        this.otherNodes = otherNodes;
    }

    /** Closes every connection of the user except {@code keep}, everywhere; returns how many closed on this node. */
    int closeAll(String userId, Connection keep) {
        otherNodes.closeAll(userId);
        return closeHere(userId, null, keep);
    }

    /** Closes the user's connections, except {@code loggingIn}, whose login was issued {@code spentToken}. */
    void closeIssued(String userId, String spentToken, Connection loggingIn) {
        String digest = digest(spentToken);
        otherNodes.closeIssued(userId, digest);
        closeHere(userId, digest, loggingIn);
    }

    /**
     * What another node asked for: closes the user's connections here, all of them if {@code tokenDigest} is null,
     * else those whose login was issued the token with that digest. Returns how many.
     */
    public int closeHere(String userId, String tokenDigest, Connection keep) {
        int closed = 0;
        for (DeviceSession device : sessions.devices(userId)) {
            Connection connection = device.connection();
            if (connection == keep) {
                continue;
            }
            String issued = connection.attr(ISSUED_TOKEN);
            if (tokenDigest == null) {
                connection.close("the account logged out everywhere");
                closed++;
            } else if (issued != null && tokenDigest.equals(digest(issued))) {
                // A stale connection of the same device (a half-open socket after a network change) or a thief's.
                ConnectionLog.at(log, Level.DEBUG, connection)
                        .log("[{}] closing: its resume token was used by another login", connection.id());
                connection.close("resume token used by another login");
                closed++;
            }
        }
        return closed;
    }

    /** The hex SHA-256 of a token. */
    static String digest(String token) {
        return HexFormat.of().formatHex(ResumeTokens.digest(token));
    }
}
