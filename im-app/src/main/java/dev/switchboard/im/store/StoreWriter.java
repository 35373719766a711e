package dev.switchboard.im.store;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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
 * the writer thread. One fsync thus covers a whole batch, and no caller sees data that is not yet durable; reads run
 * in the same stream, so a read sees every operation submitted before it.
 *
 * <p>If a transaction fails, it is rolled back, the stores drop their in-memory caches ({@code onRollback}), and its
 * operations are retried one per transaction, so only the operation at fault fails (with {@link StoreException}).
 * Operations report expected outcomes that write nothing by throwing {@link UserExistsException}; that fails the one
 * operation and not the transaction.
 *
 * <p>Between batches, and when idle, the writer runs the periodic prune a step (one short transaction) at a time.
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

    /** One step of pruning, in its own transaction; returns whether more steps of this run remain. */
    @FunctionalInterface
    interface PruneStep {
        boolean run(SqliteConnection db) throws SQLException;
    }

    private static final class Task {
        final Op<?> op;
        final CompletableFuture<Object> future = new CompletableFuture<>();
        Object result;
        RuntimeException outcome; // an expected failure (UserExistsException), reported instead of a result

        Task(Op<?> op) {
            this.op = op;
        }
    }

    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    private final String name;
    private final int capacity;
    private final int maxBatchOps;
    private final int maxBatchRows;
    private final long pruneIntervalNanos;
    private final Runnable onRollback;
    private final PruneStep prune;
    private final AtomicLong commits = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<Task> queue = new ArrayDeque<>();
    private State state = State.NEW; // guarded by lock

    private Thread thread;
    private SqliteConnection db; // writer thread only, after start

    StoreWriter(String name, SqliteSettings settings, Runnable onRollback, PruneStep prune) {
        this.name = name;
        this.capacity = settings.queueCapacity();
        this.maxBatchOps = settings.maxBatchOps();
        this.maxBatchRows = settings.maxBatchRows();
        this.pruneIntervalNanos = settings.pruneInterval().toNanos();
        this.onRollback = onRollback;
        this.prune = prune;
    }

    /** Starts the writer thread, which owns {@code connection} from now on and closes it when stopped. */
    void start(SqliteConnection connection) {
        lock.lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException(name + " was already started (state " + state + ")");
            }
            db = connection;
            thread = new Thread(this::run, name);
            // Daemon: a JVM that exits without stop() loses nothing, since no stage completes before its commit.
            thread.setDaemon(true);
            state = State.RUNNING;
            thread.start();
        } finally {
            lock.unlock();
        }
    }

    /** Queues {@code op}; never blocks. The future fails at once if the queue is full or the writer not running. */
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> submit(Op<T> op) {
        Task task = new Task(op);
        lock.lock();
        try {
            if (state != State.RUNNING) {
                return CompletableFuture.failedFuture(new StoreException(
                        name + " is not running (" + state.name().toLowerCase() + "); operation rejected"));
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
     * close the connection. Idempotent.
     */
    void stop() {
        Thread writer;
        lock.lock();
        try {
            if (state == State.NEW) {
                state = State.STOPPED;
                return;
            }
            if (state == State.RUNNING) {
                state = State.STOPPING;
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

    /** Whether operations are accepted. */
    boolean isRunning() {
        lock.lock();
        try {
            return state == State.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    /** Transactions committed so far (batches and prune steps), for tests and metrics. */
    long commits() {
        return commits.get();
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
        } catch (Throwable t) {
            log.error("{} died; failing its queued operations", name, t);
            failAll(batch, t);
        } finally {
            lock.lock();
            try {
                state = State.STOPPED;
                failAll(new ArrayList<>(queue), new StoreException(name + " stopped"));
                queue.clear();
            } finally {
                lock.unlock();
            }
            try {
                db.close();
            } catch (SQLException e) {
                log.warn("{}: closing the database failed", name, e);
            }
        }
    }

    /**
     * Moves up to {@code maxBatchOps} queued tasks into {@code batch}, waiting at most {@code waitNanos} for the
     * first. Returns false when stopping and nothing is left.
     */
    private boolean take(List<Task> batch, long waitNanos) {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (state != State.RUNNING) {
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
                    state = State.STOPPING;
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

    private void execute(List<Task> batch) {
        int start = 0;
        while (start < batch.size()) {
            int end = start;
            try {
                do {
                    runOne(batch.get(end++));
                } while (end < batch.size() && db.rowsWritten() < maxBatchRows);
                commit();
                for (int i = start; i < end; i++) {
                    complete(batch.get(i));
                }
            } catch (SQLException | RuntimeException e) {
                rollback(e);
                if (end - start == 1) {
                    fail(batch.get(start), e);
                } else {
                    log.warn("{}: a transaction of {} operations failed; retrying them one by one", name,
                            end - start, e);
                    for (int i = start; i < end; i++) {
                        executeAlone(batch.get(i));
                    }
                }
            }
            start = end;
        }
    }

    private void executeAlone(Task task) {
        try {
            runOne(task);
            commit();
            complete(task);
        } catch (SQLException | RuntimeException e) {
            rollback(e);
            fail(task, e);
        }
    }

    private void runOne(Task task) throws SQLException {
        try {
            task.result = task.op.run(db);
            task.outcome = null;
        } catch (UserExistsException e) {
            task.result = null;
            task.outcome = e; // checked before any write, so the transaction stays clean
        }
    }

    private void commit() throws SQLException {
        db.commit();
        commits.incrementAndGet();
    }

    private void rollback(Exception cause) {
        try {
            db.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        onRollback.run();
    }

    private static void complete(Task task) {
        if (task.outcome != null) {
            task.future.completeExceptionally(task.outcome);
        } else {
            task.future.complete(task.result);
        }
    }

    private void fail(Task task, Exception cause) {
        log.warn("{}: operation failed: {}", name, cause.toString());
        task.future.completeExceptionally(new StoreException("store operation failed: " + cause.getMessage(), cause));
    }

    private static void failAll(List<Task> tasks, Throwable cause) {
        StoreException failure = cause instanceof StoreException se ? se
                : new StoreException("store writer failed: " + cause, cause);
        for (Task task : tasks) {
            task.future.completeExceptionally(failure); // no effect on futures already completed
        }
    }

    private boolean pruneStep() {
        try {
            boolean more = prune.run(db);
            commit();
            return more;
        } catch (SQLException | RuntimeException e) {
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
