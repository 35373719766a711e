package dev.switchboard.im.store.postgres;

import dev.switchboard.im.store.ExpectedRefusal;
import dev.switchboard.im.store.StorageFailedException;
import dev.switchboard.im.store.StorageFailureListener;
import dev.switchboard.im.store.StoreException;
import dev.switchboard.im.store.StoreOverloadedException;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread of a {@link PostgresStorage} that talks to the database, with group commit.
 *
 * <p>Any thread may {@link #submit} an operation; it is queued (bounded: a full queue rejects at once with
 * {@link StoreOverloadedException}) and never blocks. The writer thread takes whatever is queued, up to
 * {@code maxBatchOps} operations writing about {@code maxBatchRows} rows, runs them one after another in one
 * transaction on a pooled connection, commits, and only then completes their futures, in submission order, on the
 * writer thread. Reads run in the same stream, so a read sees every operation this instance was given before it.
 * This is the SQLite store's {@code StoreWriter} design again, written anew rather than shared, since the two
 * differ in what a failure means and in the row locks a PostgreSQL transaction takes first (a little duplication,
 * kept on purpose).
 *
 * <h2>Several nodes, one database</h2>
 * Each operation declares the users whose inbox counters ({@code inbox_seqs}) it will bump. A transaction starts by
 * locking all of its operations' counters in one statement, in user id order ({@code COLLATE "C"}): two nodes'
 * transactions that share a recipient run one after the other, and they never deadlock on counters, however their
 * batches overlap. Message ids are drawn after those locks, so for any recipient, seq order is id order. Other row
 * locks (a group, a dedupe key) are taken in operation order; should two nodes deadlock on those, PostgreSQL picks a
 * victim and its transaction is run again ({@link FailureKind#CONFLICT}).
 *
 * <h2>Failures</h2>
 * Classified by {@link FailureKind}: REQUEST rolls back and retries the operations one per transaction, so only
 * the one at fault fails with {@link StoreException}; CONFLICT runs the transaction again (at most
 * {@value #CONFLICT_RETRIES} times, then as UNAVAILABLE); UNAVAILABLE fails the transaction's operations with
 * {@link StoreException} and the next transaction takes a fresh connection from the pool, so the store serves
 * again as soon as the database does; FATAL ({@link Error}s) stops the writer for good: every pending and later
 * operation fails with one {@link StorageFailedException} and the {@link StorageFailureListener} is told once.
 * Operations report expected outcomes that write nothing by throwing an {@link ExpectedRefusal}.
 */
final class PostgresWriter {

    private static final Logger log = LoggerFactory.getLogger(PostgresWriter.class);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);
    static final int CONFLICT_RETRIES = 3;

    /** Creates the counter rows missing and locks all of them, in one statement, in user id order. */
    private static final String LOCK_SEQS = """
            INSERT INTO inbox_seqs (user_id, last_seq)
                SELECT u, 0 FROM unnest(?::text[]) AS u ORDER BY u COLLATE "C"
            ON CONFLICT (user_id) DO UPDATE SET last_seq = inbox_seqs.last_seq""";

    /** Work for the writer thread, inside the current transaction. */
    @FunctionalInterface
    interface Op<T> {
        T run(Tx tx) throws SQLException;
    }

    /**
     * An operation that later requests may join while it is the last one queued ({@link #submitJoining}), so that
     * they are one statement instead of a round trip each.
     */
    interface JoinableOp extends Op<Void> {
        /** Whether one more request may join; under the writer's queue lock. */
        boolean hasRoom();

        /** Completes the requests that joined: after the commit ({@code failure} null), or with the failure. */
        void finished(Throwable failure);
    }

    /** Hands out connections to the database (the pool). */
    interface Connections {
        Connection get() throws SQLException;

        /**
         * The database was unreachable: drop the idle connections too, since a server that restarted broke them
         * all, so that the next transaction opens a fresh one instead of failing on a dead one.
         */
        void dropIdle();
    }

    /** The life cycle: NEW → RUNNING → STOPPING → STOPPED, or FAILED from RUNNING or STOPPING; both final. */
    enum State {
        NEW, RUNNING, STOPPING, STOPPED, FAILED
    }

    private static final class Task {
        final Op<?> op;
        final Collection<String> seqUsers;
        final CompletableFuture<Object> future = new CompletableFuture<>();
        Object result;
        ExpectedRefusal outcome;

        Task(Op<?> op, Collection<String> seqUsers) {
            this.op = op;
            this.seqUsers = seqUsers;
        }

        int rows() {
            return 1 + seqUsers.size();
        }
    }

    /** A fatal failure on its way out of the loop. */
    private static final class Fatal extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Throwable failure;

        Fatal(Throwable failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }

    private final String name;
    private final int capacity;
    private final int maxBatchOps;
    private final int maxBatchRows;
    private final Connections connections;
    private final StorageFailureListener listener;
    private final AtomicLong commits = new AtomicLong();
    private volatile Timer commitLatency;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<Task> queue = new ArrayDeque<>();
    private State state = State.NEW; // guarded by lock
    private StorageFailedException failure; // guarded by lock; set when FAILED
    private Thread thread;

    PostgresWriter(String name, PostgresSettings settings, Connections connections, StorageFailureListener listener) {
        this.name = name;
        this.capacity = settings.queueCapacity();
        this.maxBatchOps = settings.maxBatchOps();
        this.maxBatchRows = settings.maxBatchRows();
        this.connections = Objects.requireNonNull(connections, "connections");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    void start() {
        lock.lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException(name + " was already started (state " + state + ")");
            }
            thread = new Thread(this::run, name);
            thread.setDaemon(true); // no stage completes before its commit: a JVM exiting without stop() loses nothing
            state = State.RUNNING;
            thread.start();
        } finally {
            lock.unlock();
        }
    }

    /** Queues an operation that bumps no inbox counter. */
    <T> CompletableFuture<T> submit(Op<T> op) {
        return submit(List.of(), op);
    }

    /**
     * Queues {@code op}, which may bump the inbox counters of {@code seqUsers} (locked for it before it runs);
     * never blocks. Fails at once if the queue is full, the writer is not running or has failed.
     */
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> submit(Collection<String> seqUsers, Op<T> op) {
        Task task = new Task(op, seqUsers);
        lock.lock();
        try {
            CompletableFuture<Object> refused = refusal();
            if (refused != null) {
                return (CompletableFuture<T>) (CompletableFuture<?>) refused;
            }
            queue.addLast(task);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        return (CompletableFuture<T>) (CompletableFuture<?>) task.future;
    }

    /**
     * Lets a request join the operation queued last if it is a {@code kind} with room, else queues a new one from
     * {@code create} for it; {@code join} adds the request (under the queue's lock, so the writer, which takes from
     * the head under the same lock, has not started it). Either way the request runs where an operation of its own
     * would have: after everything queued before it, before everything queued after it. Never blocks; a new
     * operation is refused as {@link #submit} refuses one.
     */
    <B extends JoinableOp, R> CompletionStage<R> submitJoining(Class<B> kind, Supplier<B> create,
            Function<B, CompletionStage<R>> join) {
        Task task;
        B created;
        lock.lock();
        try {
            Task last = queue.peekLast();
            if (state == State.RUNNING && last != null && kind.isInstance(last.op) && kind.cast(last.op).hasRoom()) {
                return join.apply(kind.cast(last.op));
            }
            CompletableFuture<Object> refused = refusal();
            if (refused != null) {
                return refused.thenApply(never -> null);
            }
            created = create.get();
            task = new Task(created, List.of());
            queue.addLast(task);
            notEmpty.signal();
            CompletionStage<R> joined = join.apply(created);
            task.future.whenComplete((done, failure) -> created.finished(failure));
            return joined;
        } finally {
            lock.unlock();
        }
    }

    /** Why a new operation is refused now, as a failed future, or null; under the lock. */
    private CompletableFuture<Object> refusal() {
        if (state == State.FAILED) {
            return CompletableFuture.failedFuture(failure);
        }
        if (state != State.RUNNING) {
            return CompletableFuture.failedFuture(new StoreException(
                    name + " is not running (" + state.name().toLowerCase(Locale.ROOT) + "); operation rejected"));
        }
        if (queue.size() >= capacity) {
            return CompletableFuture.failedFuture(new StoreOverloadedException(capacity));
        }
        return null;
    }

    /** Stops accepting operations, lets the writer commit what is queued, and waits for it. Idempotent. */
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
            return; // from a completion callback: the loop ends by itself after this batch
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

    State state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    long commits() {
        return commits.get();
    }

    void commitLatency(Timer timer) {
        commitLatency = Objects.requireNonNull(timer, "timer");
    }

    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        List<Task> batch = new ArrayList<>(Math.min(maxBatchOps, 1024));
        try {
            while (take(batch)) {
                execute(batch);
                batch.clear();
            }
            finish(null, batch);
        } catch (Fatal fatal) {
            finish(fatal.failure, batch);
        } catch (Throwable t) {
            finish(t, batch); // the machinery itself broke
        }
    }

    /** The end of the loop: STOPPED after a drained stop, else FAILED with {@code cause}; fails what is left. */
    private void finish(Throwable cause, List<Task> batch) {
        List<Task> left;
        StoreException rejection;
        boolean failed;
        lock.lock();
        try {
            failed = cause != null || state != State.STOPPING;
            if (failed) {
                failure = new StorageFailedException(name + " failed: "
                        + (cause == null ? "the writer loop ended" : FailureKind.describe(cause)), cause);
                state = State.FAILED;
                rejection = failure;
            } else {
                state = State.STOPPED;
                rejection = new StoreException(name + " stopped");
            }
            left = new ArrayList<>(queue);
            queue.clear();
        } finally {
            lock.unlock();
        }
        failAll(batch, rejection);
        failAll(left, rejection);
        if (failed) {
            try {
                listener.storageFailed((StorageFailedException) rejection);
            } catch (RuntimeException e) {
                log.warn("{}: the storage failure listener {} threw", name, listener, e);
            }
        }
    }

    /** Moves up to {@code maxBatchOps} queued tasks into {@code batch}; false when stopping and nothing is left. */
    private boolean take(List<Task> batch) {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (state != State.RUNNING) {
                    return false;
                }
                try {
                    notEmpty.await();
                } catch (InterruptedException e) {
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

    private void execute(List<Task> batch) throws Fatal {
        int start = 0;
        while (start < batch.size()) {
            int end = start;
            int rows = 0;
            do {
                rows += batch.get(end++).rows();
            } while (end < batch.size() && rows + batch.get(end).rows() <= maxBatchRows);
            List<Task> chunk = batch.subList(start, end);
            Throwable failed = transaction(chunk);
            if (failed != null) {
                if (chunk.size() > 1 && FailureKind.of(failed) == FailureKind.REQUEST) {
                    log.warn("{}: a transaction of {} operations failed; retrying them one by one", name,
                            chunk.size(), failed);
                    for (Task task : chunk) {
                        Throwable alone = transaction(List.of(task));
                        if (alone != null) {
                            fail(task, alone);
                        }
                    }
                } else {
                    log.warn("{}: a transaction of {} operations failed; failing them: {}", name, chunk.size(),
                            FailureKind.describe(failed));
                    for (Task task : chunk) {
                        fail(task, failed);
                    }
                }
            }
            start = end;
        }
    }

    /**
     * Runs {@code tasks} in one transaction, again after a CONFLICT; completes them once committed. Returns null,
     * or the transient failure that rolled the transaction back (their futures are then not completed).
     */
    private Throwable transaction(List<Task> tasks) throws Fatal {
        TreeSet<String> seqUsers = new TreeSet<>();
        for (Task task : tasks) {
            seqUsers.addAll(task.seqUsers);
        }
        for (int attempt = 0; ; attempt++) {
            Throwable failed = attempt(tasks, seqUsers);
            if (failed == null) {
                for (Task task : tasks) {
                    complete(task);
                }
                return null;
            }
            FailureKind kind = FailureKind.of(failed);
            if (kind == FailureKind.FATAL) {
                throw new Fatal(failed);
            }
            if (kind == FailureKind.UNAVAILABLE) {
                connections.dropIdle();
            }
            if (kind != FailureKind.CONFLICT || attempt >= CONFLICT_RETRIES) {
                return failed;
            }
            log.debug("{}: transaction of {} operations lost a race ({}); running it again", name, tasks.size(),
                    FailureKind.describe(failed));
        }
    }

    private Throwable attempt(List<Task> tasks, Collection<String> seqUsers) {
        Connection connection;
        try {
            connection = connections.get();
        } catch (Throwable e) {
            return e;
        }
        Throwable failed = null;
        try (Tx tx = new Tx(connection)) {
            try {
                if (!seqUsers.isEmpty()) {
                    PreparedStatement lockSeqs = tx.prepare(LOCK_SEQS);
                    lockSeqs.setArray(1, tx.textArray(seqUsers));
                    lockSeqs.executeUpdate();
                }
                for (Task task : tasks) {
                    runOne(tx, task);
                }
                commit(tx);
            } catch (Throwable e) {
                tx.rollbackQuietly(e);
                failed = e;
            }
        } catch (SQLException e) {
            // Closing failed: the pool drops the connection. Only a failure if the transaction had not committed.
            if (failed != null) {
                failed.addSuppressed(e);
            } else {
                log.debug("{}: returning a connection failed after a commit: {}", name, e.toString());
            }
        }
        return failed;
    }

    private static void runOne(Tx tx, Task task) throws SQLException {
        try {
            task.result = task.op.run(tx);
            task.outcome = null;
        } catch (ExpectedRefusal e) {
            task.result = null;
            task.outcome = e; // decided before any write, so the transaction stays clean
        }
    }

    private void commit(Tx tx) throws SQLException {
        Timer timer = commitLatency;
        long start = timer == null ? 0 : System.nanoTime();
        tx.commit();
        commits.incrementAndGet();
        if (timer != null) {
            timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** Reads one long, for operations. */
    static long queryLong(PreparedStatement select) throws SQLException {
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    private static void complete(Task task) {
        if (task.outcome != null) {
            task.future.completeExceptionally(task.outcome);
        } else {
            task.future.complete(task.result);
        }
    }

    private void fail(Task task, Throwable cause) {
        log.debug("{}: operation failed: {}", name, cause.toString());
        task.future.completeExceptionally(new StoreException("store operation failed: "
                + FailureKind.describe(cause), cause));
    }

    private static void failAll(List<Task> tasks, StoreException failure) {
        for (Task task : tasks) {
            task.future.completeExceptionally(failure);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
