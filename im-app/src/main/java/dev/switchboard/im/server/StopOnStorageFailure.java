package dev.switchboard.im.server;

import dev.switchboard.im.store.StorageFailedException;
import dev.switchboard.im.store.StorageFailureListener;
import java.util.concurrent.CompletableFuture;

/**
 * The store's failure listener for an {@link ImServer}: stops that server. Bound before the server exists (the store
 * starts inside {@code Server.start()}), so a failure that comes first waits here until {@link #attach}.
 */
final class StopOnStorageFailure implements StorageFailureListener {

    private final CompletableFuture<ImServer> server = new CompletableFuture<>();

    void attach(ImServer started) {
        server.complete(started);
    }

    /** On the store's writer thread: only hands over, {@link ImServer#storageFailed} stops on a thread of its own. */
    @Override
    public void storageFailed(StorageFailedException failure) {
        server.thenAccept(im -> im.storageFailed(failure));
    }

    @Override
    public String toString() {
        return "StopOnStorageFailure";
    }
}
