package dev.switchboard.im.store;

/**
 * The store failed for good: a fatal failure (see the storage failure policy in {@code docs/im-app.md}) stopped its
 * writer. Every operation pending at that moment, and every later one, fails with this same exception; its cause is
 * the failure itself (an {@code OutOfMemoryError}, an {@code SQLITE_IOERR}, ...). The
 * {@link StorageFailureListener} is told once.
 */
public final class StorageFailedException extends StoreException {

    private static final long serialVersionUID = 1L;

    public StorageFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
