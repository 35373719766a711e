package dev.switchboard.im.server.ops;

import dev.switchboard.framework.ReadinessCheck;
import dev.switchboard.im.store.Storage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The readiness check {@code store}: the store answers a {@link Storage#ping()} within {@link #TIMEOUT}. Runs on
 * the admin thread (never an event loop). A ping that has not answered yet is waited for again rather than joined
 * by a new one, so a load balancer polling a stuck store queues one ping, not one per poll.
 */
@Singleton
public final class StoreReadiness implements ReadinessCheck {

    /** Longer than a healthy group commit (an fsync or two), short enough for a load balancer's probe. */
    static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final Storage storage;
    // The framework runs checks one at a time, under its lock: no other guard needed.
    private CompletableFuture<Void> outstanding = CompletableFuture.completedFuture(null);

    @Inject
    StoreReadiness(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void check() throws Exception {
        if (outstanding.isDone()) {
            outstanding = storage.ping().toCompletableFuture();
        }
        try {
            outstanding.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("the store did not answer within " + TIMEOUT.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e; // the store's own reason, for the log
        }
    }
}
