package dev.switchboard.im.store.sqlite;

import dev.switchboard.im.store.GroupStore;
import dev.switchboard.im.store.MessageStore;
import dev.switchboard.im.store.Storage;
import dev.switchboard.im.store.StorageFailedException;
import dev.switchboard.im.store.StorageFailureListener;
import dev.switchboard.im.store.StoreException;
import dev.switchboard.im.store.UserStore;
import dev.switchboard.framework.Service;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage in one SQLite database file ({@link SqliteSettings#databaseFile()}), in WAL mode with synchronous=FULL:
 * a stage completes only after its operation is committed to disk.
 *
 * <p>Every write runs on one writer thread with group commit (see {@link StoreWriter}): whatever is queued is
 * committed in one transaction, then the stages complete in submission order on that thread. The queue is bounded by
 * {@link SqliteSettings#queueCapacity()}. Acknowledged inbox entries older than {@link SqliteSettings#retention()}
 * are pruned periodically on the same thread. Pure reads that serve client requests (history, conversation lists,
 * read counts, direct peers, memberships, bulk account lookups, presence flags) run beside it on a few read-only
 * connections ({@link StoreReaders}), still after every operation submitted before them; the reads that need the
 * writer's state or its submission order (inbox pages and seqs, single-account and group lookups, which its caches
 * answer) stay on the writer. Each store's Javadoc says which of its reads go where.
 *
 * <p>Life cycle: the constructor only records settings; {@link #start()} creates the data directory, takes an
 * exclusive lock on it (one process, one store per directory, since ids and seqs are counted in memory), opens the
 * database, migrates the schema, opens the readers and starts the writer. {@link #stop()} finishes the queued reads,
 * commits what is queued and closes the file;
 * operations submitted before {@code start()} or after {@code stop()} fail with {@link StoreException}. An instance
 * is started at most once.
 *
 * <p>Failures follow the policy of {@link FailureKind}: a transient one fails the operations concerned and the store
 * keeps serving; a fatal one stops the writer for good, fails every pending and later operation with
 * {@link StorageFailedException} and tells the {@link StorageFailureListener} once. {@link #stop()} is still
 * needed afterwards, to release the directory lock.
 *
 * <p>As a {@link MeterBinder} it reports its writer: {@code switchboard.im.store.queue} (operations waiting),
 * {@code switchboard.im.store.commits} (transactions committed) and {@code switchboard.im.store.commit.latency}; and
 * its readers: {@code switchboard.im.store.read.queue} (reads waiting) and {@code switchboard.im.store.reads}.
 */
public final class SqliteStorage implements Storage, Service, MeterBinder {

    /** Upper bounds of the commit latency histogram's buckets: 100 µs (no fsync) to 5 s (a stalled disk). */
    /** Upper bounds of the batch-size histogram's buckets, up to the writer's largest batch. */
    private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
    private static final Duration[] COMMIT_BUCKETS = {
            Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
            Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(5)};

    private static final Logger log = LoggerFactory.getLogger(SqliteStorage.class);

    private final SqliteSettings settings;
    private final LongSupplier clock;
    private final StoreWriter writer;
    private final StoreReaders readers;
    private final SqliteUserStore users;
    private final SqliteGroupStore groups;
    private final SqliteMessageStore messages;

    private FileChannel lockChannel; // guarded by this
    private FileLock directoryLock; // guarded by this

    /** A store that only logs a fatal failure ({@link StorageFailureListener#logOnly()}). */
    public SqliteStorage(SqliteSettings settings) {
        this(settings, StorageFailureListener.logOnly());
    }

    /** A store that tells {@code listener}, once, if it fails for good (see {@link StorageFailedException}). */
    @Inject
    public SqliteStorage(SqliteSettings settings, StorageFailureListener listener) {
        this(settings, System::currentTimeMillis, listener);
    }

    /** With a clock for stored-at times and pruning, for tests. */
    SqliteStorage(SqliteSettings settings, LongSupplier clock) {
        this(settings, clock, StorageFailureListener.logOnly());
    }

    SqliteStorage(SqliteSettings settings, LongSupplier clock, StorageFailureListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(listener, "listener");
        this.writer = new StoreWriter("sqlite-store-writer", settings, this::rolledBack, this::pruneStep,
                this::beforeCommit, () -> SqliteConnection.open(settings.databaseFile(), settings.busyTimeout()),
                listener);
        this.readers = new StoreReaders("sqlite-store-reader", settings, writer,
                () -> SqliteConnection.openReader(settings.databaseFile(), settings.busyTimeout()));
        this.users = new SqliteUserStore(writer, readers, clock);
        this.messages = new SqliteMessageStore(writer, readers, clock, settings.retention(),
                settings.historyRetention());
        this.groups = new SqliteGroupStore(writer, readers, clock, messages::lastMessageId);
    }

    @Override
    public synchronized void start() throws IOException, SQLException {
        if (lockChannel != null) {
            throw new IllegalStateException(this + " was already started");
        }
        Path file = settings.databaseFile();
        Files.createDirectories(settings.dataDir());
        lockDirectory(file.resolveSibling(SqliteSettings.DATABASE_FILE + ".lock"));
        SqliteConnection db = null;
        try {
            db = SqliteConnection.open(file, settings.busyTimeout());
            int version = SqliteSchema.migrate(db, file);
            readers.start(); // after the migration: readers never see an old schema
            writer.start(db);
            log.info("Opened {} (schema version {}, {} readers)", file, version, settings.readers());
        } catch (SQLException | RuntimeException e) {
            readers.stop();
            if (db != null) {
                try {
                    db.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            unlockDirectory();
            throw e;
        }
    }

    @Override
    public synchronized void stop() {
        readers.stop(); // first: a read queued before the stop still finds the database open
        writer.stop();
        if (directoryLock != null) {
            unlockDirectory();
            log.info("Closed {}", settings.databaseFile());
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("switchboard.im.store.queue", writer, StoreWriter::queued)
                .description("Store operations queued for the SQLite writer thread").strongReference(true)
                .register(registry);
        FunctionCounter.builder("switchboard.im.store.commits", writer, StoreWriter::commits)
                .description("SQLite transactions committed (batches of operations, prune steps)")
                .register(registry);
        Gauge.builder("switchboard.im.store.read.queue", readers, StoreReaders::queued)
                .description("Store reads queued for the SQLite reader threads").strongReference(true)
                .register(registry);
        FunctionCounter.builder("switchboard.im.store.reads", readers, StoreReaders::reads)
                .description("Store reads run on the SQLite reader connections").register(registry);
        writer.commitLatency(Timer.builder("switchboard.im.store.commit.latency")
                .description("Time to commit one SQLite transaction (the fsync of synchronous=FULL included)")
                .serviceLevelObjectives(COMMIT_BUCKETS).register(registry));
        writer.batchSize(DistributionSummary.builder("switchboard.im.store.batch.size")
                .description("Store operations committed in one SQLite transaction (group commit)")
                .baseUnit("operations").serviceLevelObjectives(BATCH_BUCKETS).register(registry));
    }

    @Override
    public UserStore users() {
        return users;
    }

    @Override
    public GroupStore groups() {
        return groups;
    }

    @Override
    public MessageStore messages() {
        return messages;
    }

    @Override
    public CompletionStage<Void> ping() {
        return writer.submit(db -> {
            db.ping();
            return null;
        });
    }

    public SqliteSettings settings() {
        return settings;
    }

    /** Transactions committed so far; fewer than operations when group commit works. */
    long commits() {
        return writer.commits();
    }

    /** The readers, for tests. */
    StoreReaders readers() {
        return readers;
    }

    /** The writer, for tests that need to queue their own operations. */
    StoreWriter writer() {
        return writer;
    }

    /** Queues a complete prune run, for tests; the periodic prune does the same a step at a time. */
    CompletableFuture<Void> pruneNow() {
        return writer.submit(db -> {
            while (pruneStep(db)) {
                // one transaction for the whole run: fine for tests
            }
            return null;
        });
    }

    private boolean pruneStep(SqliteConnection db) throws SQLException {
        if (!messages.pruneInProgress()) {
            users.deleteExpiredTokens(db, clock.getAsLong());
        }
        return messages.pruneStep(db);
    }

    private void beforeCommit(SqliteConnection db) throws SQLException {
        messages.flushEntries(db);
        groups.beforeCommit();
    }

    private void rolledBack() {
        users.resetCache();
        groups.resetCache();
        messages.resetCache();
    }

    private void lockDirectory(Path lockFile) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another store in this JVM
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("data directory " + settings.dataDir()
                    + " is in use by another Switchboard store (lock file " + lockFile + ")");
        }
        lockChannel = channel;
        directoryLock = lock;
    }

    private void unlockDirectory() {
        if (directoryLock == null) {
            return;
        }
        try {
            directoryLock.release();
            lockChannel.close();
        } catch (IOException e) {
            log.warn("Could not release the lock on {}", settings.dataDir(), e);
        }
        // lockChannel stays non-null: an instance is started at most once
        directoryLock = null;
    }

    @Override
    public String toString() {
        return "SqliteStorage[" + settings.databaseFile() + "]";
    }
}
