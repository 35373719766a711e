package dev.switchboard.im.server.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.server.session.SessionRegistry;
import org.junit.jupiter.api.Test;

/** {@link PresencePushes} pushes a user's announcements newest first wins, whichever node decided them. */
class PresencePushesTest {

    private final PresencePushes pushes = new PresencePushes(new SessionRegistry());

    @Test
    void anAnnouncementOlderThanTheLastPushedIsDropped() {
        assertThat(pushes.newest("alice", 5)).isTrue();
        assertThat(pushes.newest("alice", 3)).as("decided before the one pushed").isFalse();
        assertThat(pushes.newest("alice", 5)).as("the same one again").isFalse();
        assertThat(pushes.newest("alice", 6)).isTrue();
    }

    @Test
    void versionsAreKeptPerUser() {
        assertThat(pushes.newest("alice", 9)).isTrue();
        assertThat(pushes.newest("bob", 1)).isTrue();
    }
}
