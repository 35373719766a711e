package dev.switchboard.im.store.sqlite;

import dev.switchboard.im.store.StorageFailedException;
import dev.switchboard.im.store.StoreException;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** The writer's failure policy on a real SQLite file, with failures injected through the operations it runs. */
class StoreWriterTest {

    @TempDir
    Path dir;

    private final List<StorageFailedException> told = new CopyOnWriteArrayList<>();
    private final AtomicInteger reopened = new AtomicInteger();
    private final AtomicInteger rollbacks = new AtomicInteger();
    private StoreWriter writer;

    @AfterEach
    void stopWriter() {
        if (writer != null) {
            writer.stop();
        }
    }

    // ---- batching and early answers

    @Test
    void aReadOfCommittedStateCompletesBeforeItsTransactionCommitsAndOtherwiseAfter() throws Exception {
        List<String> seenAtCommit = new CopyOnWriteArrayList<>();
        List<CompletableFuture<String>> reads = new CopyOnWriteArrayList<>();
        writer = new StoreWriter("test-writer", settings(), rollbacks::incrementAndGet, db -> false, db -> {
            List<String> seen = new ArrayList<>();
            for (CompletableFuture<String> read : reads) {
                seen.add(read.isDone() ? "done" : "waiting");
            }
            seenAtCommit.add(String.join(" ", seen)); // one entry per commit
        }, this::reopen, told::add);
        writer.start(open());
        CountDownLatch release = block();
        reads.add(writer.submitRead(db -> new StoreWriter.Read<>("committed", true)));
        reads.add(writer.submitRead(db -> new StoreWriter.Read<>("uncommitted", false)));
        release.countDown();

        assertThat(await(reads.get(0))).isEqualTo("committed");
        assertThat(await(reads.get(1))).isEqualTo("uncommitted");
        assertThat(seenAtCommit).as("at the blocker's commit, then at theirs").containsExactly("waiting waiting",
                "done waiting");
    }

    @Test
    void theBeforeCommitHookWritesInsideTheTransactionAndItsFailureIsTheTransactions() throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(1);
        writer = new StoreWriter("test-writer", settings(), rollbacks::incrementAndGet, db -> false, db -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new SQLException("simulated: the deferred rows do not fit");
            }
            db.prepare("INSERT OR IGNORE INTO t (k) VALUES ('hook')").executeUpdate();
        }, this::reopen, told::add);
        writer.start(open());
        CountDownLatch release = block();
        CompletableFuture<String> a = writer.submit(insert("a"));
        CompletableFuture<String> b = writer.submit(insert("b"));
        release.countDown();

        assertThat(await(a)).as("retried alone after the rollback").isEqualTo("a");
        assertThat(await(b)).isEqualTo("b");
        assertThat(rollbacks).hasValue(1);
        assertThat(keys()).containsExactly("a", "b", "hook");
        assertStillServing();
    }

    // ---- transient failures

    @Test
    void aConstraintViolationFailsOnlyItsOperationAndTheBatchStillCommits() throws Exception {
        start();
        await(writer.submit(insert("a")));
        CountDownLatch release = block();
        CompletableFuture<String> b = writer.submit(insert("b"));
        CompletableFuture<String> duplicate = writer.submit(insert("a"));
        CompletableFuture<String> c = writer.submit(insert("c"));
        release.countDown();

        assertThat(await(b)).isEqualTo("b");
        assertThat(await(c)).isEqualTo("c");
        Throwable failure = failure(duplicate);
        assertThat(failure).isInstanceOf(StoreException.class).isNotInstanceOf(StorageFailedException.class);
        assertThat(failure.getCause()).isInstanceOf(SQLiteException.class);
        assertThat(rollbacks).hasPositiveValue();
        assertThat(await(writer.submit(insert("d")))).isEqualTo("d"); // and it goes on serving
        assertThat(keys()).containsExactly("a", "b", "c", "d");
        assertStillServing();
    }

    @Test
    void aRuntimeExceptionInOneOperationFailsOnlyThatOperation() throws Exception {
        start();
        CountDownLatch release = block();
        CompletableFuture<String> before = writer.submit(insert("x"));
        CompletableFuture<Object> buggy = writer.submit(db -> {
            throw new IllegalStateException("a bug in one operation");
        });
        CompletableFuture<String> after = writer.submit(insert("y"));
        release.countDown();

        assertThat(failure(buggy)).isInstanceOf(StoreException.class).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(await(before)).isEqualTo("x");
        assertThat(await(after)).isEqualTo("y");
        assertStillServing();
    }

    @Test
    void aBusyDatabaseFailsTheWholeBatchAtOnceAndTheWriterKeepsServing() throws Exception {
        start();
        CountDownLatch release = block();
        CompletableFuture<String> x = writer.submit(insert("x"));
        CompletableFuture<Object> busy = writer.submit(db -> {
            throw FailureKindTest.sqlite(SQLiteErrorCode.SQLITE_BUSY);
        });
        CompletableFuture<String> y = writer.submit(insert("y"));
        release.countDown();

        // x shared the transaction that hit SQLITE_BUSY: it fails with it, without a retry, and is not committed.
        for (CompletableFuture<?> f : List.of(x, busy)) {
            assertThat(failure(f)).isInstanceOf(StoreException.class).isNotInstanceOf(StorageFailedException.class)
                    .hasRootCauseInstanceOf(SQLiteException.class);
        }
        assertThat(await(y)).as("had not run yet: the next transaction").isEqualTo("y");
        assertThat(await(writer.submit(insert("x")))).isEqualTo("x"); // x was rolled back, so no duplicate
        assertThat(keys()).containsExactly("x", "y");
        assertStillServing();
    }

    @Test
    void aBrokenConnectionIsReopenedAndTheWriterKeepsServing() throws Exception {
        start();
        await(writer.submit(insert("a")));
        CompletableFuture<Object> breaks = writer.submit(db -> {
            db.jdbc().close(); // the connection dies under the operation
            throw new SQLException("simulated: connection lost");
        });

        assertThat(failure(breaks)).isInstanceOf(StoreException.class).isNotInstanceOf(StorageFailedException.class);
        assertThat(await(writer.submit(insert("b")))).isEqualTo("b");
        assertThat(reopened).hasValue(1);
        assertThat(keys()).containsExactly("a", "b");
        assertStillServing();
    }

    // ---- fatal failures

    static Stream<Throwable> fatalFailures() {
        return Stream.of(new OutOfMemoryError("simulated: Java heap space"),
                FailureKindTest.sqlite(SQLiteErrorCode.SQLITE_IOERR_FSYNC),
                FailureKindTest.sqlite(SQLiteErrorCode.SQLITE_CORRUPT),
                FailureKindTest.sqlite(SQLiteErrorCode.SQLITE_FULL),
                FailureKindTest.sqlite(SQLiteErrorCode.SQLITE_NOTADB));
    }

    @ParameterizedTest
    @MethodSource("fatalFailures")
    void aFatalFailureFailsTheBatchThePendingAndLaterOperationsAndTellsTheListenerOnce(Throwable fatal)
            throws Exception {
        start();
        await(writer.submit(insert("kept")));
        CountDownLatch release = block();
        CompletableFuture<String> sameBatchBefore = writer.submit(insert("p"));
        CompletableFuture<Object> failing = writer.submit(db -> {
            insert("q").run(db);
            throw sneaky(fatal);
        });
        CompletableFuture<String> sameBatchAfter = writer.submit(insert("r"));
        release.countDown();
        StorageFailedException failure = (StorageFailedException) failure(failing);
        CompletableFuture<String> later = writer.submit(insert("s"));
        writer.stop(); // harmless after a failure; joins the writer thread, so the listener calls are final

        assertThat(failure.getCause()).isSameAs(fatal);
        assertThat(failure).hasMessageContaining("test-writer failed while running an operation")
                .hasMessageContaining(FailureKind.describe(fatal));
        assertThat(List.of(sameBatchBefore, sameBatchAfter, later))
                .allSatisfy(f -> assertThat(failure(f)).isSameAs(failure));
        assertThat(later).as("fails at once").isCompletedExceptionally();
        assertThat(told).containsExactly(failure);
        assertThat(writer.state()).isEqualTo(WriterState.FAILED);
        assertThat(writer.isRunning()).isFalse();
        assertThat(reopened).hasValue(0);
        assertThat(keys()).as("nothing of the failed transaction is committed").containsExactly("kept");
    }

    @Test
    void queuedOperationsBehindAFatalFailureFailAndTheListenerIsToldOnlyOnce() throws Exception {
        start();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        CompletableFuture<Object> dying = writer.submit(db -> {
            blocked.countDown();
            awaitLatch(release);
            throw new OutOfMemoryError("simulated");
        });
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<?>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(writer.submit(insert("k" + i)));
            queued.add(writer.submit(db -> {
                throw FailureKindTest.sqlite(SQLiteErrorCode.SQLITE_IOERR); // never runs: a second fatal op
            }));
        }
        release.countDown();
        Throwable failure = failure(dying);
        writer.stop();

        assertThat(failure).isInstanceOf(StorageFailedException.class).hasCauseInstanceOf(OutOfMemoryError.class);
        assertThat(queued).allSatisfy(f -> assertThat(failure(f)).isSameAs(failure));
        assertThat(told).hasSize(1).containsExactly((StorageFailedException) failure);
        assertThat(keys()).isEmpty();
    }

    @Test
    void aConnectionThatCannotBeReopenedIsFatal() throws Exception {
        start(() -> {
            throw FailureKindTest.sqlite(SQLiteErrorCode.SQLITE_CANTOPEN);
        });
        CompletableFuture<Object> breaks = writer.submit(db -> {
            db.jdbc().close();
            throw new SQLException("simulated: connection lost");
        });

        Throwable failure = failure(breaks);
        writer.stop();

        assertThat(failure).isInstanceOf(StorageFailedException.class)
                .hasMessageContaining("reopening the database connection").hasMessageContaining("SQLITE_CANTOPEN");
        assertThat(told).containsExactly((StorageFailedException) failure);
        assertThat(failure(writer.submit(insert("z")))).isSameAs(failure);
    }

    @Test
    void aFatalFailureWhilePruningStopsTheWriter() throws Exception {
        AtomicInteger prunes = new AtomicInteger();
        writer = new StoreWriter("test-writer", settings().withPruneInterval(Duration.ofMillis(20)),
                rollbacks::incrementAndGet, db -> {
                    prunes.incrementAndGet();
                    throw FailureKindTest.sqlite(SQLiteErrorCode.SQLITE_IOERR_WRITE);
                }, StoreWriter.BeforeCommit.NOTHING, this::reopen, told::add);
        writer.start(open());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (told.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        writer.stop();

        assertThat(told).hasSize(1);
        assertThat(told.get(0)).hasMessageContaining("while pruning").hasMessageContaining("SQLITE_IOERR_WRITE");
        assertThat(prunes).hasValue(1);
        assertThat(failure(writer.submit(insert("z")))).isSameAs(told.get(0));
    }

    @Test
    void theWriterLoopDyingIsFatalToo() throws Exception {
        writer = new StoreWriter("test-writer", settings(), () -> {
            throw new IllegalStateException("simulated: a bug in the rollback hook");
        }, db -> false, StoreWriter.BeforeCommit.NOTHING, this::reopen, told::add);
        writer.start(open());

        Throwable failure = failure(writer.submit(insert("a").andThen(() -> {
            throw new SQLException("simulated");
        })));
        writer.stop();

        assertThat(failure).isInstanceOf(StorageFailedException.class)
                .hasMessageContaining("running the writer loop").hasCauseInstanceOf(IllegalStateException.class);
        assertThat(told).containsExactly((StorageFailedException) failure);
    }

    @Test
    void aListenerThatThrowsDoesNotKeepTheFailureFromPendingOperations() throws Exception {
        writer = new StoreWriter("test-writer", settings(), rollbacks::incrementAndGet, db -> false,
                StoreWriter.BeforeCommit.NOTHING, this::reopen, failure -> {
                    throw new IllegalStateException("listener bug");
                });
        writer.start(open());

        assertThat(failure(writer.submit(db -> {
            throw new OutOfMemoryError("simulated");
        }))).isInstanceOf(StorageFailedException.class);
        writer.stop();
        assertThat(writer.state()).isEqualTo(WriterState.FAILED);
    }

    // ---- helpers

    /** An operation that writes, with a hook to fail afterwards. */
    @FunctionalInterface
    interface Insert extends StoreWriter.Op<String> {
        default StoreWriter.Op<String> andThen(SqlAction after) {
            return db -> {
                String key = run(db);
                after.run();
                return key;
            };
        }
    }

    @FunctionalInterface
    interface SqlAction {
        void run() throws SQLException;
    }

    private static Insert insert(String key) {
        return db -> {
            PreparedStatement insert = db.prepare("INSERT INTO t (k) VALUES (?)");
            insert.setString(1, key);
            db.wrote(insert.executeUpdate());
            return key;
        };
    }

    private SqliteSettings settings() {
        return SqliteSettings.defaults().withDataDir(dir);
    }

    private void start() throws SQLException {
        start(this::reopen);
    }

    private void start(StoreWriter.Reopener reopener) throws SQLException {
        writer = new StoreWriter("test-writer", settings(), rollbacks::incrementAndGet, db -> false,
                StoreWriter.BeforeCommit.NOTHING, reopener, told::add);
        writer.start(open());
    }

    private SqliteConnection reopen() throws SQLException {
        reopened.incrementAndGet();
        return SqliteConnection.open(dir.resolve("w.db"), Duration.ofSeconds(1));
    }

    private SqliteConnection open() throws SQLException {
        SqliteConnection db = SqliteConnection.open(dir.resolve("w.db"), Duration.ofSeconds(1));
        try (Statement s = db.jdbc().createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY)");
        }
        db.commit();
        return db;
    }

    /** Occupies the writer until the returned latch is released; returns once it is blocked. */
    private CountDownLatch block() throws InterruptedException {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        writer.submit(db -> {
            blocked.countDown();
            awaitLatch(release);
            return null;
        });
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void assertStillServing() {
        assertThat(writer.state()).isEqualTo(WriterState.RUNNING);
        assertThat(told).isEmpty();
    }

    /** The committed keys, read through a connection of our own. */
    private List<String> keys() throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("w.db"));
             Statement s = db.createStatement();
             ResultSet rows = s.executeQuery("SELECT k FROM t ORDER BY k")) {
            List<String> keys = new ArrayList<>();
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
            return keys;
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("no failure within 10 s", e);
        }
        throw new AssertionError("completed normally: " + future.join());
    }

    /** Throws any throwable from an {@link StoreWriter.Op}, checked or not. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
