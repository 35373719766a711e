package dev.switchboard.im.store.sqlite;

import dev.switchboard.im.store.StorageFailureListener;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The store's failure policy: what a failure on the writer thread costs. Classified by type and, for SQLite, by the
 * primary result code ({@link SQLiteException#getResultCode()}, extended codes masked to their low 8 bits), never by
 * message text. The cause chain is searched, so a wrapped {@code SQLITE_IOERR} is still fatal.
 *
 * <table>
 *   <caption>Classification</caption>
 *   <tr><th>Failure</th><th>Kind</th></tr>
 *   <tr><td>any {@link Error} ({@code OutOfMemoryError}, {@code StackOverflowError}, ...)</td><td>FATAL</td></tr>
 *   <tr><td>SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOMEM,
 *       SQLITE_READONLY, SQLITE_INTERNAL, SQLITE_MISUSE (any extended variant)</td><td>FATAL</td></tr>
 *   <tr><td>SQLITE_BUSY, SQLITE_LOCKED (any extended variant)</td><td>BUSY</td></tr>
 *   <tr><td>every other SQLite code (SQLITE_CONSTRAINT, SQLITE_ERROR, SQLITE_MISMATCH, SQLITE_TOOBIG, ...), a
 *       {@link SQLException} without a result code, any {@link RuntimeException}</td><td>REQUEST</td></tr>
 * </table>
 *
 * <p>A connection that breaks on a transient failure (its rollback fails) is reopened; if it cannot be, that is
 * fatal too (decided by {@link StoreWriter}, not here).
 */
enum FailureKind {

    /**
     * The operation at fault (a constraint, a bad statement, a bug in one operation) fails alone; when it was part of
     * a group commit, the others are retried one per transaction, so they do not fail with it.
     */
    REQUEST,

    /**
     * The database was briefly unavailable (a lock held elsewhere past {@code busy_timeout}). Nobody's fault, so the
     * whole transaction's operations fail at once instead of being retried one by one: each retry would wait out the
     * busy timeout again while everyone behind it waits too. The store keeps serving.
     */
    BUSY,

    /**
     * The store cannot go on safely: the disk, the file or the process is in trouble. Every pending and later
     * operation fails and the {@link StorageFailureListener} is told, once.
     */
    FATAL;

    /** Whether the store keeps serving after this failure. */
    boolean isTransient() {
        return this != FATAL;
    }

    /** Classifies {@code failure}: the gravest kind found along its cause chain. */
    static FailureKind of(Throwable failure) {
        FailureKind kind = REQUEST;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            FailureKind here = ofOne(t);
            if (here == FATAL) {
                return FATAL;
            }
            if (here == BUSY) {
                kind = BUSY;
            }
        }
        return kind;
    }

    private static FailureKind ofOne(Throwable t) {
        if (t instanceof Error) {
            return FATAL;
        }
        if (t instanceof SQLiteException sqlite) {
            return ofPrimaryCode(primaryCode(sqlite.getResultCode()));
        }
        return REQUEST;
    }

    /** The primary result code (the low 8 bits) of a result code, or -1 when the driver did not know the code. */
    static int primaryCode(SQLiteErrorCode code) {
        if (code == null || code == SQLiteErrorCode.UNKNOWN_ERROR) {
            return -1;
        }
        return code.code & 0xFF;
    }

    private static FailureKind ofPrimaryCode(int primary) {
        if (primary == SQLiteErrorCode.SQLITE_IOERR.code // disk I/O, a failed fsync included: durability in doubt
                || primary == SQLiteErrorCode.SQLITE_CORRUPT.code // the file is damaged
                || primary == SQLiteErrorCode.SQLITE_NOTADB.code // the file is not a database (overwritten)
                || primary == SQLiteErrorCode.SQLITE_FULL.code // disk full: every write fails until an operator acts
                || primary == SQLiteErrorCode.SQLITE_CANTOPEN.code // the database, WAL or journal cannot be opened
                || primary == SQLiteErrorCode.SQLITE_NOMEM.code // SQLite's own allocation failed
                || primary == SQLiteErrorCode.SQLITE_READONLY.code // the file went read-only or was moved
                || primary == SQLiteErrorCode.SQLITE_INTERNAL.code // a malfunction inside SQLite
                || primary == SQLiteErrorCode.SQLITE_MISUSE.code) { // the connection is in an undefined state
            return FATAL;
        }
        if (primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code) {
            return BUSY;
        }
        return REQUEST;
    }

    /** A short description for logs and exception messages: the SQLite message (it names the code) or the type. */
    static String describe(Throwable failure) {
        if (failure instanceof SQLiteException) {
            return failure.getMessage();
        }
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName()
                : failure.getClass().getSimpleName() + ": " + message;
    }
}
