package dev.switchboard.im.store;

import org.slf4j.LoggerFactory;

/**
 * Told when the store has failed for good (see {@link StorageFailedException}): from then on every pending and later
 * operation fails. The IM server stops itself when told; an embedder may do what it likes. Bind one with
 * {@code OptionalBinder.newOptionalBinder(binder(), StorageFailureListener.class).setBinding()}; without one,
 * {@link #logOnly()} is used.
 *
 * <p>Called at most once per store, on the store's writer thread, after every pending stage has failed. Return
 * quickly and do not wait for the store there (hand real work, such as stopping a server, to another thread).
 */
@FunctionalInterface
public interface StorageFailureListener {

    /** The store stopped after {@code failure}; its cause is what went wrong. */
    void storageFailed(StorageFailedException failure);

    /** Logs one ERROR line and does nothing else: the process keeps running, every store operation fails. */
    static StorageFailureListener logOnly() {
        return failure -> LoggerFactory.getLogger(StorageFailureListener.class)
                .error("Storage failed; every store operation fails from now on: {}", failure.getMessage(),
                        failure.getCause());
    }
}
