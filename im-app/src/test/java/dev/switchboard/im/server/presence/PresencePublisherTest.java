package dev.switchboard.im.server.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.memory.MemoryStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** The per-user chain of {@link PresencePublisher}: steps run in order, off the caller, and survive a refusal. */
class PresencePublisherTest {

    private final List<Runnable> queued = new ArrayList<>();
    private boolean refuse;
    private final Executor manual = task -> {
        if (refuse) {
            throw new RejectedExecutionException("stopped");
        }
        queued.add(task);
    };
    private final MemoryStorage storage = new MemoryStorage();
    private final PresencePublisher publisher = new PresencePublisher(
            new PresenceAudience(storage.groups(), storage.messages()), new SingleNodePresence(),
            new PresencePushes(new SessionRegistry()), manual);

    private void runQueued() {
        while (!queued.isEmpty()) {
            queued.remove(0).run();
        }
    }

    @Test
    void eachUsersChangesArePublishedOneAfterAnotherAndNeverOnTheCallersThread() {
        publisher.changed("alice", "alice", true, 1);
        publisher.changed("alice", "alice", false, 2);
        assertThat(queued).as("the second waits for the first").hasSize(1);
        runQueued();
        assertThat(queued).isEmpty();
    }

    @Test
    void aRefusedStepDoesNotStopTheUsersLaterOnes() {
        refuse = true;
        publisher.changed("alice", "alice", true, 1);
        refuse = false;
        publisher.changed("alice", "alice", false, 2);
        assertThat(queued).as("the next change is still published").hasSize(1);
        runQueued();
    }
}
