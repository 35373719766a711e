package dev.switchboard.im.server.presence;

import dev.switchboard.im.protocol.PresenceChanged;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/** Presence on a server without other nodes: every change here is a change for everyone. Thread-safe. */
@Singleton
public final class SingleNodePresence implements SharedPresence {

    private final AtomicLong versions = new AtomicLong();

    @Override
    public CompletionStage<Long> changed(String userId, boolean online) {
        return CompletableFuture.completedFuture(versions.incrementAndGet());
    }

    @Override
    public void publish(Collection<String> audience, PresenceChanged change, long version) {
    }

    @Override
    public CompletionStage<Set<String>> onlineElsewhere(Collection<String> userIds) {
        return CompletableFuture.completedFuture(Set.of());
    }

    @Override
    public void hidden(String userId, boolean hidden) {
    }
}
