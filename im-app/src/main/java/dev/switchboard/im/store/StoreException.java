package dev.switchboard.im.store;

/**
 * The store could not carry out an operation: it is not running, or the database failed. Stages complete
 * exceptionally with this (or {@link StoreOverloadedException}); the cause, if any, is the underlying failure.
 */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
