package dev.switchboard.im.store;

/**
 * The store's queue of pending operations is full; the operation was not accepted and had no effect. Callers should
 * shed load (answer "server busy") rather than retry at once. Thrown often under overload, so it has no stack trace.
 */
public final class StoreOverloadedException extends StoreException {

    private static final long serialVersionUID = 1L;

    private final int capacity;

    public StoreOverloadedException(int capacity) {
        super("store queue is full (" + capacity + " pending operations); operation rejected");
        this.capacity = capacity;
    }

    /** The queue capacity that was reached. */
    public int capacity() {
        return capacity;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
