package dev.switchboard.im.store.sqlite;

import dev.switchboard.im.store.StorageFailedException;
import dev.switchboard.im.store.StoreException;
import dev.switchboard.im.store.StoreOverloadedException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.slf4j.LoggerFactory;

/**
 * The read path: a few read-only connections ({@link SqliteConnection#openReader}), one per reader thread, that
 * answer pure reads beside the {@link StoreWriter}, so that a history page or a conversation list never waits for a
 * commit (WAL mode lets readers read while the writer holds a transaction open).
 *
 * <h2>What a read sees</h2>
 * Each read runs in a transaction of its own, whose snapshot is taken by its first statement and ended (rolled back)
 * when the read returns; so a read sees everything committed before it started, and all its statements see the
 * same database. A read starts only after everything submitted to the writer before it is committed (see
 * {@link #submit}), so <b>a read sees every operation submitted before it</b>, as the store's contract says; it may
 * see later ones too, committed in the same batch. Reads run side by side, but their stages complete in submission
 * order, like the writer's. Reads use no writer-thread state (caches, counters): those hold
 * what the writer's open transaction did, which may yet be rolled back.
 *
 * <h2>Threads, bounds and failures</h2>
 * {@link #submit} never blocks: a read waits in a bounded queue ({@link SqliteSettings#readQueueCapacity()}; full,
 * it fails at once with {@link StoreOverloadedException}) for one of {@link SqliteSettings#readers()} threads. Its
 * stage completes on that thread. A failure is classified by {@link FailureKind}: a transient one fails that read
 * with {@link StoreException} (and a connection found broken is reopened); a fatal one, or a connection that cannot
 * be reopened, fails the whole store: the writer is told ({@link StoreWriter#failedElsewhere}) and takes its fatal
 * path, and this read and every later one fail with the writer's {@link StorageFailedException}, as they do after
 * a fatal failure on the writer itself.
 *
 * <p>Life cycle: {@link #start} opens the connections (after the writer's connection migrated the schema) and the
 * threads; {@link #stop} rejects new reads, lets the queued ones finish and closes the connections. Reads before
 * {@code start} or after {@code stop} fail with {@link StoreException}.
 */
final class StoreReaders {

    private static final Logger log = LoggerFactory.getLogger(StoreReaders.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** The writer-queue marker a read waits for; it runs no SQL. */
    private static final StoreWriter.Op<Void> AFTER_EARLIER_WRITES = db -> null;

    /** Opens one more reader connection. */
    @FunctionalInterface
    interface Opener {
        SqliteConnection open() throws SQLException;
    }

    /** A read's life cycle: NEW, then RUNNING, then STOPPED for good. */
    private enum State { NEW, RUNNING, STOPPED }

    private final String name;
    private final int threads;
    private final int capacity;
    private final StoreWriter writer;
    private final Opener opener;
    private final AtomicLong reads = new AtomicLong();
    /** Guards {@link #inOrder}, {@link #draining} and the order of markers in the writer's queue. */
    private final Object order = new Object();
    /** Reads not yet completed to their callers, in submission order. */
    private final java.util.ArrayDeque<InOrder<?>> inOrder = new java.util.ArrayDeque<>(); // guarded by order
    /** Whether a thread is completing reads from the head of {@link #inOrder}. */
    private boolean draining; // guarded by order
    /** Reads admitted and not yet completed: waiting for the writer's marker, queued or running. */
    private final AtomicInteger admitted = new AtomicInteger();

    private final Object lock = new Object();
    private State state = State.NEW; // guarded by lock
    private ThreadPoolExecutor executor; // guarded by lock; set at start
    /** The idle connections; a reader thread takes one per read and puts it back, so one is always there for it. */
    private BlockingQueue<SqliteConnection> connections; // set at start, before any read

    StoreReaders(String name, SqliteSettings settings, StoreWriter writer, Opener opener) {
        this.name = Objects.requireNonNull(name, "name");
        this.threads = settings.readers();
        this.capacity = settings.readQueueCapacity();
        this.writer = Objects.requireNonNull(writer, "writer");
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    /** Opens the connections and starts the threads; on failure, closes whatever it opened and throws. */
    void start() throws SQLException {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException(name + " was already started (state " + state + ")");
            }
            List<SqliteConnection> opened = new ArrayList<>(threads);
            try {
                for (int i = 0; i < threads; i++) {
                    opened.add(opener.open());
                }
            } catch (SQLException | RuntimeException e) {
                closeAll(opened, e);
                throw e;
            }
            connections = new ArrayBlockingQueue<>(threads, false, opened);
            AtomicInteger number = new AtomicInteger();
            executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(capacity), task -> {
                        Thread thread = new Thread(task, name + "-" + number.incrementAndGet());
                        thread.setDaemon(true); // like the writer: nothing is lost to a JVM exiting without stop()
                        return thread;
                    }, new ThreadPoolExecutor.AbortPolicy());
            executor.prestartAllCoreThreads();
            state = State.RUNNING;
        }
    }

    /**
     * Queues {@code read}; never blocks. The future fails at once if {@link SqliteSettings#readQueueCapacity()} reads
     * are already waiting or running ({@link StoreOverloadedException}), the readers are not running
     * ({@link StoreException}) or the store has failed ({@link StorageFailedException}).
     *
     * <p>The read runs once everything submitted to the writer before it is committed: a marker that runs no SQL
     * goes through the writer's queue, and its completion (after the commit of its batch) hands the read to a reader
     * thread. So a read pipelined behind a write (a client creating a group, then listing its groups, without waiting
     * for the answer) sees that write, as it did when reads ran on the writer, while the read's work itself stays
     * off the writer thread.
     */
    <T> CompletableFuture<T> submit(StoreWriter.Op<T> read) {
        StorageFailedException failed = writer.failure();
        if (failed != null) {
            return CompletableFuture.failedFuture(failed);
        }
        ThreadPoolExecutor pool;
        synchronized (lock) {
            if (state != State.RUNNING) {
                return CompletableFuture.failedFuture(notRunning());
            }
            pool = executor;
        }
        if (admitted.incrementAndGet() > capacity) {
            admitted.decrementAndGet();
            return CompletableFuture.failedFuture(new StoreOverloadedException(capacity));
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        InOrder<T> pending = new InOrder<>();
        future.whenComplete((result, error) -> {
            admitted.decrementAndGet();
            completed(pending, result, error);
        });
        synchronized (order) {
            writer.submit(AFTER_EARLIER_WRITES).whenComplete((ignored, error) -> {
                if (error != null) {
                    future.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error);
                    return;
                }
                try {
                    pool.execute(() -> run(read, future));
                } catch (RejectedExecutionException e) { // stopping: admission keeps the queue from filling
                    future.completeExceptionally(notRunning());
                }
            });
            inOrder.add(pending);
        }
        return pending.visible;
    }

    /**
     * A read's stage as callers see it. Reads run side by side, but these complete in submission order, one after
     * the other on one thread, each one's callbacks before the next completes: a handler that reads then writes (a
     * mark-read after a membership check) must not have its write overtaken by the write of a request behind it
     * whose read happened to finish first.
     */
    private static final class InOrder<T> {
        final CompletableFuture<T> visible = new CompletableFuture<>();
        boolean done; // guarded by order
        T result;
        Throwable error;

        void complete() {
            if (error != null) {
                visible.completeExceptionally(error);
            } else {
                visible.complete(result);
            }
        }
    }

    private <T> void completed(InOrder<T> pending, T result, Throwable error) {
        synchronized (order) {
            pending.result = result;
            pending.error = error;
            pending.done = true;
            if (draining) {
                return; // the thread draining completes it in turn
            }
            draining = true;
        }
        for (;;) {
            InOrder<?> head;
            synchronized (order) {
                head = inOrder.peek();
                if (head == null || !head.done) {
                    draining = false;
                    return;
                }
                inOrder.poll();
            }
            head.complete(); // outside the lock: its callbacks may submit more reads
        }
    }

    /** Rejects new reads, lets the queued ones finish and closes the connections. Idempotent. */
    void stop() {
        ThreadPoolExecutor pool;
        synchronized (lock) {
            State was = state;
            state = State.STOPPED;
            if (was != State.RUNNING) {
                return;
            }
            pool = executor;
        }
        // Reads admitted before the stop whose marker is still in the writer's queue: let the markers pass, so that
        // those reads reach the pool before it shuts (a marker failing means the writer is not running, and then
        // every earlier marker has failed too).
        try {
            writer.submit(AFTER_EARLIER_WRITES).get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("{}: no last marker through the writer: {}", name, e.toString());
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.error("{} did not finish its queued reads within {}; interrupting them", name, STOP_TIMEOUT);
                pool.shutdownNow();
                pool.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<SqliteConnection> idle = new ArrayList<>();
        connections.drainTo(idle);
        closeAll(idle, null);
    }

    /** Whether reads are accepted. */
    boolean isRunning() {
        synchronized (lock) {
            return state == State.RUNNING;
        }
    }

    /** Reads waiting for a reader thread. */
    int queued() {
        synchronized (lock) {
            return executor == null ? 0 : executor.getQueue().size();
        }
    }

    /** Reads run so far, for tests and metrics. */
    long reads() {
        return reads.get();
    }

    private <T> void run(StoreWriter.Op<T> read, CompletableFuture<T> future) {
        StorageFailedException failed = writer.failure();
        if (failed != null) {
            future.completeExceptionally(failed);
            return;
        }
        SqliteConnection db = connections.poll(); // never null: as many connections as threads
        if (db == null) {
            future.completeExceptionally(new StoreException(name + ": no connection free (a bug)"));
            return;
        }
        T result;
        try {
            result = read.run(db);
            db.rollback(); // ends the read transaction: the next read takes a fresh snapshot
        } catch (Throwable e) {
            db = failed(db, e, future);
            return;
        } finally {
            if (db != null) {
                connections.add(db);
            }
            reads.incrementAndGet();
        }
        future.complete(result); // outside the try: callbacks run after the connection is back
    }

    /** Fails the read; returns the connection to put back, or null when it was closed. */
    private SqliteConnection failed(SqliteConnection db, Throwable e, CompletableFuture<?> future) {
        if (FailureKind.of(e) == FailureKind.FATAL && !attemptedWrite(e)) {
            future.completeExceptionally(writer.failedElsewhere(e,
                    "a read on " + Thread.currentThread().getName() + " failed"));
            closeAll(List.of(db), null); // the store is done; stop() closes the others
            return null;
        }
        log.warn("{}: read failed: {}", name, e.toString());
        SqliteConnection usable = recover(db, e);
        future.completeExceptionally(new StoreException("store read failed: " + e.getMessage(), e));
        return usable;
    }

    /**
     * Whether {@code e} is {@code query_only} refusing a write: SQLITE_READONLY, which {@link FailureKind} calls
     * fatal (the file went read-only), is here a bug of the one read that tried to write, so it fails that read only.
     */
    private static boolean attemptedWrite(Throwable e) {
        return e instanceof SQLiteException sqlite
                && FailureKind.primaryCode(sqlite.getResultCode()) == SQLiteErrorCode.SQLITE_READONLY.code;
    }

    /**
     * Ends the failed read's transaction. A rollback that fails or finds the connection closed means it broke: it
     * is replaced; if it cannot be, that is fatal, as it is for the writer. Returns the connection to use from now
     * on, or null when there is none.
     */
    private SqliteConnection recover(SqliteConnection db, Throwable cause) {
        try {
            db.rollback();
            if (!db.isClosed()) {
                return db;
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        log.warn("{}: a reader connection broke; reopening it", name);
        closeAll(List.of(db), cause);
        try {
            return opener.open();
        } catch (SQLException | RuntimeException e) {
            e.addSuppressed(cause);
            writer.failedElsewhere(e, "reopening a reader connection failed");
            return null;
        }
    }

    private StoreException notRunning() {
        synchronized (lock) {
            return new StoreException(name + " is not running (" + state.name().toLowerCase(Locale.ROOT)
                    + "); operation rejected");
        }
    }

    private void closeAll(List<SqliteConnection> toClose, Throwable into) {
        for (SqliteConnection db : toClose) {
            try {
                db.close();
            } catch (SQLException | RuntimeException e) {
                if (into != null) {
                    into.addSuppressed(e);
                } else {
                    log.warn("{}: closing a reader connection failed", name, e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
