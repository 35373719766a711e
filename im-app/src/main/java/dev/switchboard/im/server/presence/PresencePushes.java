package dev.switchboard.im.server.presence;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.im.protocol.PresenceChanged;
import dev.switchboard.im.server.session.SessionRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Collection;

/**
 * Puts presence announcements on this node's online v2 devices, newest first wins: an announcement about a user
 * older (by {@link SharedPresence version}) than the last one pushed here is dropped, whichever node decided it.
 * Only devices still logged in and writable get one ({@link SessionRegistry#notifyOnlineV2}). Thread-safe.
 */
@Singleton
public final class PresencePushes {

    /** Users whose last version is remembered; past it the oldest are forgotten (a stale one may then pass). */
    static final int MAX_REMEMBERED = 100_000;

    private final SessionRegistry sessions;
    private final Cache<String, Long> lastVersion = Caffeine.newBuilder()
            .maximumSize(MAX_REMEMBERED)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    @Inject
    public PresencePushes(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    /** To this node's devices of {@code audience}, unless a newer announcement about the user was pushed here. */
    public void pushHere(Collection<String> audience, PresenceChanged change, long version) {
        if (!newest(change.user().userId(), version)) {
            return;
        }
        sessions.notifyOnlineV2(audience, change);
    }

    /** Whether the version is newer than the last one pushed here for the user; if so it becomes the last. */
    boolean newest(String userId, long version) {
        boolean[] newer = {false};
        lastVersion.asMap().compute(userId, (id, previous) -> {
            if (previous == null || version > previous) {
                newer[0] = true;
                return version;
            }
            return previous;
        });
        return newer[0];
    }
}
