package dev.switchboard.im.store.postgres;

import dev.switchboard.im.store.StorageFailureListener;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLNonTransientConnectionException;

/**
 * The PostgreSQL store's failure policy: what a failure on the writer thread costs. Classified by type and by
 * SQLSTATE ({@link SQLException#getSQLState()}), never by message text; the cause chain is searched. Unlike a local
 * SQLite file, the database is a server other nodes share and an operator restarts, so nothing it reports stops
 * the store for good: a lost connection or a restarting server fails the operations concerned, and the store
 * serves again once the server answers.
 *
 * <table>
 *   <caption>Classification</caption>
 *   <tr><th>Failure</th><th>Kind</th></tr>
 *   <tr><td>any {@link Error} ({@code OutOfMemoryError}, {@code StackOverflowError}, ...)</td><td>FATAL</td></tr>
 *   <tr><td>SQLSTATE class 08 (connection), 53 (insufficient resources), 57 (operator intervention: shutdown,
 *       crash, cannot connect now, statement timeout), 58 (system error); a pool timeout
 *       ({@link SQLTransientConnectionException}) or a broken connection</td><td>UNAVAILABLE</td></tr>
 *   <tr><td>40001 (serialization failure), 40P01 (deadlock detected), 55P03 (lock not available)</td>
 *       <td>CONFLICT</td></tr>
 *   <tr><td>everything else (a constraint, a bad statement, any {@link RuntimeException})</td><td>REQUEST</td></tr>
 * </table>
 */
enum FailureKind {

    /**
     * The operation at fault fails alone; when it was part of a group commit, the others are retried one per
     * transaction, so they do not fail with it (as in the SQLite store).
     */
    REQUEST,

    /**
     * This transaction lost a race with another node's (PostgreSQL chose it as a deadlock victim). Nobody's fault
     * and nothing was written: the whole transaction is run again, a few times, before its operations fail.
     */
    CONFLICT,

    /**
     * The database cannot be reached or is shutting down. Every operation of the transaction fails at once (a
     * retry would wait out the connection timeout again while everyone behind it waits too); the connection is
     * dropped and the next transaction takes a fresh one. The store keeps serving.
     */
    UNAVAILABLE,

    /**
     * The process itself is in trouble: every pending and later operation fails and the
     * {@link StorageFailureListener} is told, once.
     */
    FATAL;

    /** Gravity: FATAL, then UNAVAILABLE, then CONFLICT, then REQUEST. */
    private boolean graverThan(FailureKind other) {
        return rank() > other.rank();
    }

    private int rank() {
        return switch (this) {
            case REQUEST -> 0;
            case CONFLICT -> 1;
            case UNAVAILABLE -> 2;
            case FATAL -> 3;
        };
    }

    /** Classifies {@code failure}: the gravest kind found along its cause chain. */
    static FailureKind of(Throwable failure) {
        FailureKind kind = REQUEST;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            FailureKind here = ofOne(t);
            if (here.graverThan(kind)) {
                kind = here;
            }
        }
        return kind;
    }

    private static FailureKind ofOne(Throwable t) {
        if (t instanceof Error) {
            return FATAL;
        }
        if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                || t instanceof SQLRecoverableException) {
            return UNAVAILABLE;
        }
        if (t instanceof SQLException sql) {
            return ofState(sql.getSQLState());
        }
        return REQUEST;
    }

    static FailureKind ofState(String state) {
        if (state == null || state.length() != 5) {
            return REQUEST;
        }
        if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("58")) {
            return UNAVAILABLE;
        }
        if (state.equals("40001") || state.equals("40P01") || state.equals("55P03")) {
            return CONFLICT;
        }
        return REQUEST;
    }

    /** A short description for logs and exception messages: the type, the SQLSTATE if any, and the message. */
    static String describe(Throwable failure) {
        String state = failure instanceof SQLException sql && sql.getSQLState() != null
                ? " [" + sql.getSQLState() + "]" : "";
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + state + (message == null ? "" : ": " + message);
    }
}
