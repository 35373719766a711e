package dev.switchboard.im.store.sqlite;

import dev.switchboard.im.store.ExpectedRefusal;
import dev.switchboard.im.store.StorageFailedException;
import dev.switchboard.im.store.StorageFailureListener;
import dev.switchboard.im.store.StoreException;
import dev.switchboard.im.store.StoreOverloadedException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that touches the database, with group commit.
 *
 * <p>Any thread may {@link #submit} an operation; it is queued (bounded: a full queue rejects at once with
 * {@link StoreOverloadedException}) and never blocks. The writer thread takes whatever is queued, up to
 * {@code maxBatchOps}, runs the operations one after another in one transaction (committing early once
 * {@code maxBatchRows} rows were written), commits, and only then completes their futures, in submission order, on
 * the writer thread. One fsync thus covers a whole batch, and no caller sees data that is not yet durable; reads
 * submitted here run in the same stream, so such a read sees every operation submitted before it. A read that found
 * only committed state may complete before the commit ({@link #submitRead}). (Most reads go to the
 * {@link StoreReaders} instead, which wait for a marker in this queue and so see the same.) A batch is what was
 * queued when it started: letting it take what was queued during the transaction as well measured 15 % slower
 * direct sends (docs/benchmarks.md).
 *
 * <h2>Failures</h2>
 * Every failure on the writer thread is classified by {@link FailureKind}:
 * <ul>
 *   <li><b>REQUEST</b> (a constraint, a bad statement, a bug in one operation): the transaction is rolled back, the
 *       stores drop their in-memory caches ({@code onRollback}), and its operations are retried one per
 *       transaction, so only the operation at fault fails (with {@link StoreException}). Why retry rather than fail
 *       the batch: group commit is an optimisation callers cannot see, so one bad request must not fail the
 *       unrelated requests that happened to share its fsync. The operations are functions of the database and of
 *       caches rebuilt from it, so running them again after the rollback is safe. The cost (one transaction per
 *       operation) is paid only on this rare path.</li>
 *   <li><b>BUSY</b> (SQLITE_BUSY / SQLITE_LOCKED): the transaction is rolled back and all of its operations fail
 *       with {@link StoreException}; retrying each alone would wait out {@code busy_timeout} once per operation.</li>
 *   <li><b>FATAL</b> (any {@link Error}, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, ...; a rollback that fails
 *       with such a code; a connection that broke and cannot be reopened; the writer loop itself dying): the writer
 *       moves to {@link WriterState#FAILED}, every operation of the batch, of the queue and submitted later fails
 *       with one {@link StorageFailedException}, the connection is closed, and the {@link StorageFailureListener}
 *       is told, once, on the writer thread.</li>
 * </ul>
 * A fatal failure a reader meets ({@link #failedElsewhere}) is handed to the writer thread, which then takes the
 * same fatal path after the batch it is running.
 * A transient failure whose rollback fails (without a fatal code) or leaves the connection closed means the
 * connection broke: it is closed and reopened through the {@link Reopener}.
 *
 * <p>Operations report expected outcomes that write nothing by throwing an {@link ExpectedRefusal}; that fails the
 * one operation and not the transaction.
 *
 * <p>Between batches, and when idle, the writer runs the periodic prune a step (one short transaction) at a time; a
 * transient prune failure is logged and retried at the next interval.
 */
final class StoreWriter {

    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);
    /** The first prune comes soon after start, so that a server restarted more often than the interval still prunes. */
    private static final long FIRST_PRUNE_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Work for the writer thread; may read and write through the connection, inside the current transaction. */
    @FunctionalInterface
    interface Op<T> {
        T run(SqliteConnection db) throws SQLException;
    }

    /**
     * What a read on the writer thread found, and whether it depends only on committed state: nothing the open
     * transaction wrote went into it, so it is as durable as it will ever be and may be given out before the commit.
     */
    record Read<T>(T value, boolean committedState) {
    }

    /** One step of pruning, in its own transaction; returns whether more steps of this run remain. */
    @FunctionalInterface
    interface PruneStep {
        boolean run(SqliteConnection db) throws SQLException;
    }

    /**
     * Writes what the operations of the transaction held back (the stores' deferred rows), just before it commits;
     * a failure here is the transaction's, classified like an operation's.
     */
    @FunctionalInterface
    interface BeforeCommit {
        BeforeCommit NOTHING = db -> { };

        void run(SqliteConnection db) throws SQLException;
    }

    /** Opens a fresh connection to the same (already migrated) database, to replace one that broke. */
    @FunctionalInterface
    interface Reopener {
        SqliteConnection open() throws SQLException;
    }

    private static final class Task {
        final Op<?> op;
        final boolean read; // op returns a Read, which may complete the task before the commit (submitRead)
        final CompletableFuture<Object> future = new CompletableFuture<>();
        Object result;
        ExpectedRefusal outcome; // reported instead of a result

        Task(Op<?> op, boolean read) {
            this.op = op;
            this.read = read;
        }
    }

    /** A fatal failure on the writer thread, on its way out of the loop; {@code during} says what was being done. */
    private static final class Fatal extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Throwable failure;
        final String during;
        final StorageFailedException reported; // null, or the exception already made for a failure met elsewhere

        Fatal(Throwable failure, String during) {
            this(failure, during, null);
        }

        Fatal(StorageFailedException reported) {
            this(reported.getCause(), null, reported);
        }

        private Fatal(Throwable failure, String during, StorageFailedException reported) {
            super(null, null, false, false);
            this.failure = failure;
            this.during = during;
            this.reported = reported;
        }
    }

    private final String name;
    private final int capacity;
    private final int maxBatchOps;
    private final int maxBatchRows;
    private final long pruneIntervalNanos;
    private final Runnable onRollback;
    private final PruneStep prune;
    private final BeforeCommit beforeCommit;
    private final Reopener reopener;
    private final StorageFailureListener listener;
    private final AtomicLong commits = new AtomicLong();
    private volatile Timer commitLatency; // null: not measured (no clock read per commit)
    private volatile DistributionSummary batchSize; // null: not measured

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<Task> queue = new ArrayDeque<>();
    private WriterState state = WriterState.NEW; // guarded by lock
    private StorageFailedException failure; // guarded by lock; set when state is FAILED
    private StorageFailedException failedElsewhere; // guarded by lock; a reader's fatal failure, for the writer thread

    private Thread thread;
    private SqliteConnection db; // writer thread only, after start

    StoreWriter(String name, SqliteSettings settings, Runnable onRollback, PruneStep prune, BeforeCommit beforeCommit,
            Reopener reopener, StorageFailureListener listener) {
        this.name = name;
        this.capacity = settings.queueCapacity();
        this.maxBatchOps = settings.maxBatchOps();
        this.maxBatchRows = settings.maxBatchRows();
        this.pruneIntervalNanos = settings.pruneInterval().toNanos();
        this.onRollback = Objects.requireNonNull(onRollback, "onRollback");
        this.prune = Objects.requireNonNull(prune, "prune");
        this.beforeCommit = Objects.requireNonNull(beforeCommit, "beforeCommit");
        this.reopener = Objects.requireNonNull(reopener, "reopener");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Starts the writer thread, which owns {@code connection} from now on and closes it when stopped. */
    void start(SqliteConnection connection) {
        lock.lock();
        try {
            if (state != WriterState.NEW) {
                throw new IllegalStateException(name + " was already started (state " + state + ")");
            }
            db = connection;
            thread = new Thread(this::run, name);
            // Daemon: a JVM that exits without stop() loses nothing, since no stage completes before its commit.
            thread.setDaemon(true);
            state = state.moveTo(WriterState.RUNNING);
            thread.start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues {@code op}; never blocks. The future fails at once if the queue is full ({@link StoreOverloadedException}),
     * the writer is not running ({@link StoreException}) or has failed ({@link StorageFailedException}).
     */
    <T> CompletableFuture<T> submit(Op<T> op) {
        return enqueue(new Task(op, false));
    }

    /**
     * Queues a read like {@link #submit}; its stage completes as soon as it ran, not after the commit, when the
     * read says it found only committed state. A caller that waits for a read before its next write (a lookup per
     * message) then waits for the operations ahead of it, not for their fsync as well.
     */
    <T> CompletableFuture<T> submitRead(Op<Read<T>> read) {
        return enqueue(new Task(read, true));
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> enqueue(Task task) {
        lock.lock();
        try {
            if (state == WriterState.FAILED) {
                return CompletableFuture.failedFuture(failure);
            }
            if (failedElsewhere != null) {
                return CompletableFuture.failedFuture(failedElsewhere);
            }
            if (!state.acceptsWork()) {
                return CompletableFuture.failedFuture(new StoreException(
                        name + " is not running (" + state.name().toLowerCase(Locale.ROOT) + "); operation rejected"));
            }
            if (queue.size() >= capacity) {
                return CompletableFuture.failedFuture(new StoreOverloadedException(capacity));
            }
            queue.addLast(task);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        return (CompletableFuture<T>) (CompletableFuture<?>) task.future;
    }

    /**
     * Stops accepting operations, lets the writer run and commit everything already queued, and waits for it to
     * close the connection. Idempotent; after a failure it only waits for the writer thread to end.
     */
    void stop() {
        Thread writer;
        lock.lock();
        try {
            if (state == WriterState.NEW) {
                state = state.moveTo(WriterState.STOPPED);
                return;
            }
            if (state == WriterState.RUNNING) {
                state = state.moveTo(WriterState.STOPPING);
                notEmpty.signal();
            }
            writer = thread;
        } finally {
            lock.unlock();
        }
        if (writer == Thread.currentThread()) {
            return; // called from a completion callback; the loop ends by itself after this batch
        }
        try {
            writer.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            log.error("{} did not finish its queue within {}; leaving it running", name, STOP_TIMEOUT);
        }
    }

    /**
     * The failure every operation fails with from now on, once the writer has failed or been told of a fatal failure
     * met elsewhere; null while it has not.
     */
    StorageFailedException failure() {
        lock.lock();
        try {
            return failure != null ? failure : failedElsewhere;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A fatal failure met on another thread of the store (a reader): returns the {@link StorageFailedException} that
     * the store fails with, and has the writer thread take the fatal path (every pending and later operation fails
     * with that exception, the listener is told once) after the batch it is running. If the writer has already
     * failed, returns that failure; if it has stopped, nothing is left to fail and the exception is only returned.
     */
    StorageFailedException failedElsewhere(Throwable cause, String during) {
        lock.lock();
        try {
            if (failure != null) {
                return failure;
            }
            if (failedElsewhere == null) {
                failedElsewhere = new StorageFailedException(
                        name + " failed: " + during + ": " + FailureKind.describe(cause), cause);
                notEmpty.signal();
            }
            return failedElsewhere;
        } finally {
            lock.unlock();
        }
    }

    /** Whether operations are accepted. */
    boolean isRunning() {
        return state().acceptsWork();
    }

    /** The current state, for tests and diagnostics. */
    WriterState state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** Transactions committed so far (batches and prune steps), for tests and metrics. */
    long commits() {
        return commits.get();
    }

    /** Records the time each commit takes from now on. */
    void commitLatency(Timer timer) {
        commitLatency = Objects.requireNonNull(timer, "timer");
    }

    /** Records the number of operations in each committed transaction from now on (prune steps are not counted). */
    void batchSize(DistributionSummary summary) {
        batchSize = Objects.requireNonNull(summary, "summary");
    }

    /** Operations waiting for the writer. */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        List<Task> batch = new ArrayList<>(maxBatchOps);
        long nextPrune = System.nanoTime() + Math.min(pruneIntervalNanos, FIRST_PRUNE_NANOS);
        boolean pruning = false;
        try {
            while (take(batch, pruning ? 0 : nextPrune - System.nanoTime())) {
                if (!batch.isEmpty()) {
                    execute(batch);
                    batch.clear();
                }
                if (pruning || System.nanoTime() - nextPrune >= 0) {
                    pruning = pruneStep();
                    if (!pruning) {
                        nextPrune = System.nanoTime() + pruneIntervalNanos;
                    }
                }
            }
        } catch (Fatal fatal) {
            failed(fatal.reported != null ? fatal.reported : storageFailed(fatal.failure, fatal.during), batch);
        } catch (Throwable t) {
            // the machinery itself broke: the writer thread dies
            failed(storageFailed(t, "running the writer loop"), batch);
        } finally {
            stopped();
        }
    }

    /**
     * The normal end of the loop (STOPPING, queue drained: STOPPED). After a failure the state is already FAILED; if
     * the fatal path itself failed (a second error while handling the first), this at least makes the state final.
     */
    private void stopped() {
        List<Task> left;
        boolean closeDb;
        StoreException rejection;
        lock.lock();
        try {
            closeDb = !state.isFinal();
            if (state == WriterState.STOPPING) {
                state = state.moveTo(WriterState.STOPPED);
            } else if (!state.isFinal()) {
                state = state.moveTo(WriterState.FAILED);
                failure = new StorageFailedException(name + " died while handling a failure", null);
            }
            rejection = state == WriterState.FAILED ? failure : new StoreException(name + " stopped");
            left = new ArrayList<>(queue);
            queue.clear();
        } finally {
            lock.unlock();
        }
        failAll(left, rejection);
        if (closeDb) {
            try {
                db.close();
            } catch (SQLException e) {
                log.warn("{}: closing the database failed", name, e);
            }
        }
    }

    /**
     * The fatal path: FAILED, the connection closed, every pending operation failed, the listener told. Runs once:
     * only the writer thread moves to FAILED, and FAILED is final.
     */
    private StorageFailedException storageFailed(Throwable cause, String during) {
        return new StorageFailedException(name + " failed while " + during + ": " + FailureKind.describe(cause), cause);
    }

    private void failed(StorageFailedException storageFailed, List<Task> batch) {
        List<Task> pending;
        lock.lock();
        try {
            state = state.moveTo(WriterState.FAILED);
            failure = storageFailed;
            pending = new ArrayList<>(queue);
            queue.clear();
        } finally {
            lock.unlock();
        }
        try {
            db.close(); // rolls back whatever the failed transaction left
        } catch (SQLException | RuntimeException e) {
            storageFailed.addSuppressed(e);
        }
        failAll(batch, storageFailed);
        failAll(pending, storageFailed);
        try {
            listener.storageFailed(storageFailed);
        } catch (RuntimeException e) {
            log.warn("{}: the storage failure listener {} threw", name, listener, e);
        }
    }

    /**
     * Moves up to {@code maxBatchOps} queued tasks into {@code batch}, waiting at most {@code waitNanos} for the
     * first. Returns false when stopping and nothing is left; throws a fatal failure met elsewhere.
     */
    private boolean take(List<Task> batch, long waitNanos) throws Fatal {
        lock.lock();
        try {
            while (failedElsewhere != null || queue.isEmpty()) {
                if (failedElsewhere != null) {
                    throw new Fatal(failedElsewhere);
                }
                if (!state.acceptsWork()) {
                    return false;
                }
                if (waitNanos <= 0) {
                    return true;
                }
                try {
                    waitNanos = notEmpty.awaitNanos(waitNanos);
                } catch (InterruptedException e) {
                    // Nobody owns this thread but us: treat an interrupt as a stop request and drain.
                    log.warn("{} interrupted; stopping after the queued operations", name);
                    state = state.moveTo(WriterState.STOPPING);
                }
            }
            for (int n = Math.min(queue.size(), maxBatchOps); n > 0; n--) {
                batch.add(queue.pollFirst());
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void execute(List<Task> batch) throws Fatal {
        int start = 0;
        while (start < batch.size()) {
            int end = start;
            boolean committing = false;
            try {
                do {
                    runOne(batch.get(end++));
                } while (end < batch.size() && db.rowsWritten() < maxBatchRows);
                beforeCommit.run(db);
                committing = true;
                commit();
                recordBatch(end - start);
            } catch (Throwable e) {
                int size = end - start;
                FailureKind kind = FailureKind.of(e);
                if (kind == FailureKind.FATAL) {
                    throw new Fatal(e, committing ? "committing a transaction of " + size + " operations"
                            : "running an operation");
                }
                rollback(e);
                if (size == 1) {
                    fail(batch.get(start), e);
                } else if (kind == FailureKind.BUSY) {
                    log.warn("{}: a transaction of {} operations failed; failing them all: {}", name, size,
                            e.toString());
                    for (int i = start; i < end; i++) {
                        fail(batch.get(i), e);
                    }
                } else {
                    log.warn("{}: a transaction of {} operations failed; retrying them one by one", name, size, e);
                    for (int i = start; i < end; i++) {
                        executeAlone(batch.get(i));
                    }
                }
                start = end;
                continue;
            }
            // Outside the try: once committed, nothing may roll back or run these operations again.
            for (int i = start; i < end; i++) {
                complete(batch.get(i));
            }
            start = end;
        }
    }

    private void executeAlone(Task task) throws Fatal {
        boolean committing = false;
        try {
            runOne(task);
            beforeCommit.run(db);
            committing = true;
            commit();
            recordBatch(1);
        } catch (Throwable e) {
            if (FailureKind.of(e) == FailureKind.FATAL) {
                throw new Fatal(e, committing ? "committing an operation retried alone"
                        : "running an operation retried alone");
            }
            rollback(e);
            fail(task, e);
            return;
        }
        complete(task);
    }

    private void runOne(Task task) throws SQLException {
        boolean committedState = false;
        try {
            Object result = task.op.run(db);
            if (task.read) {
                Read<?> found = (Read<?>) result;
                result = found.value();
                committedState = found.committedState();
            }
            task.result = result;
            task.outcome = null;
        } catch (ExpectedRefusal e) {
            task.result = null;
            task.outcome = e; // decided before any write, so the transaction stays clean
        }
        if (committedState) {
            complete(task); // completing it again after the commit (or a retry) changes nothing
        }
    }

    private void recordBatch(int operations) {
        DistributionSummary summary = batchSize;
        if (summary != null) {
            summary.record(operations);
        }
    }

    private void commit() throws SQLException {
        Timer timer = commitLatency;
        long start = timer == null ? 0 : System.nanoTime();
        db.commit();
        commits.incrementAndGet();
        if (timer != null) {
            timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Rolls back after a transient failure. A rollback failing with a fatal code is fatal; one failing otherwise, or
     * a connection found closed, means the connection broke: it is replaced ({@link #reopen}).
     */
    private void rollback(Throwable cause) throws Fatal {
        SQLException broken = null;
        try {
            db.rollback();
            if (db.isClosed()) {
                broken = new SQLException("the connection was closed");
            }
        } catch (SQLException e) {
            if (FailureKind.of(e) == FailureKind.FATAL) {
                e.addSuppressed(cause);
                throw new Fatal(e, "rolling back after " + FailureKind.describe(cause));
            }
            broken = e;
        } finally {
            onRollback.run();
        }
        if (broken != null) {
            cause.addSuppressed(broken);
            reopen(broken);
        }
    }

    private void reopen(SQLException why) throws Fatal {
        log.warn("{}: the database connection broke ({}); reopening it", name, why.toString());
        try {
            db.close();
        } catch (SQLException | RuntimeException e) {
            why.addSuppressed(e);
        }
        try {
            db = reopener.open();
        } catch (SQLException | RuntimeException e) {
            e.addSuppressed(why);
            throw new Fatal(e, "reopening the database connection");
        }
        log.info("{}: database connection reopened", name);
    }

    private static void complete(Task task) {
        if (task.outcome != null) {
            task.future.completeExceptionally(task.outcome);
        } else {
            task.future.complete(task.result);
        }
    }

    private void fail(Task task, Throwable cause) {
        log.warn("{}: operation failed: {}", name, cause.toString());
        task.future.completeExceptionally(new StoreException("store operation failed: " + cause.getMessage(), cause));
    }

    private static void failAll(List<Task> tasks, StoreException failure) {
        for (Task task : tasks) {
            task.future.completeExceptionally(failure); // no effect on futures already completed
        }
    }

    private boolean pruneStep() throws Fatal {
        try {
            boolean more = prune.run(db);
            beforeCommit.run(db);
            commit();
            return more;
        } catch (Throwable e) {
            if (FailureKind.of(e) == FailureKind.FATAL) {
                throw new Fatal(e, "pruning");
            }
            rollback(e);
            log.warn("{}: pruning failed; next try in {} s", name, TimeUnit.NANOSECONDS.toSeconds(pruneIntervalNanos), e);
            return false;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
