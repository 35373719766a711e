package dev.switchboard.im.store.sqlite;

import dev.switchboard.im.store.StoreOverloadedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of {@link SqliteStorage}. Start from {@link #defaults()} and adjust with the {@code with...} methods.
 *
 * @param dataDir directory of the database file {@value #DATABASE_FILE}; created at start. Default {@code ./data}.
 * @param maxBatchOps at most this many queued operations are committed in one transaction. Default 1000.
 * @param maxBatchRows a transaction is committed early once its operations wrote this many rows, so one batch of
 *     large group messages does not hold up every caller behind it. Default 20,000.
 * @param queueCapacity at most this many operations wait for the writer; more are rejected with
 *     {@link StoreOverloadedException}. Default 65,536.
 * @param retention acknowledged inbox entries (and events nobody still needs) older than this are pruned; unacknowledged
 *     entries never are. Default 7 days.
 * @param historyRetention chat messages stay in their conversations' history this long (and as long as an inbox still
 *     holds them); at least {@code retention}. Default 365 days.
 * @param pruneInterval how often the writer prunes. Default 1 hour.
 * @param busyTimeout how long SQLite waits for a lock held by another connection. Default 5 s.
 * @param readers read-only connections, each with its own thread, that serve the read path (history, conversation
 *     lists, read counts, memberships, bulk account and presence lookups) beside the writer. Default 2.
 * @param readQueueCapacity at most this many reads wait (for earlier writes to commit, or for a reader) or run;
 *     more are rejected with {@link StoreOverloadedException}. Default 4,096.
 */
public record SqliteSettings(Path dataDir, int maxBatchOps, int maxBatchRows, int queueCapacity, Duration retention,
                             Duration historyRetention, Duration pruneInterval, Duration busyTimeout, int readers,
                             int readQueueCapacity) {

    /** Name of the database file inside {@link #dataDir()}. */
    public static final String DATABASE_FILE = "switchboard.db";

    public SqliteSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(historyRetention, "historyRetention");
        Objects.requireNonNull(pruneInterval, "pruneInterval");
        Objects.requireNonNull(busyTimeout, "busyTimeout");
        requireAtLeast("maxBatchOps", maxBatchOps, 1);
        requireAtLeast("maxBatchRows", maxBatchRows, 1);
        requireAtLeast("queueCapacity", queueCapacity, 1);
        requireAtLeast("readers", readers, 1);
        requireAtLeast("readQueueCapacity", readQueueCapacity, 1);
        requirePositive("retention", retention);
        if (historyRetention.compareTo(retention) < 0) {
            throw new IllegalArgumentException("historyRetention must be at least retention (" + retention + "): "
                    + historyRetention);
        }
        requirePositive("pruneInterval", pruneInterval);
        if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("busyTimeout must be in 0.." + Integer.MAX_VALUE + " ms: " + busyTimeout);
        }
    }

    /** The defaults listed above. */
    public static SqliteSettings defaults() {
        return new SqliteSettings(Path.of("data"), 1000, 20_000, 65_536, Duration.ofDays(7), Duration.ofDays(365),
                Duration.ofHours(1), Duration.ofSeconds(5), 2, 4096);
    }

    /** The database file. */
    public Path databaseFile() {
        return dataDir.resolve(DATABASE_FILE);
    }

    public SqliteSettings withDataDir(Path dataDir) {
        return new SqliteSettings(dataDir, maxBatchOps, maxBatchRows, queueCapacity, retention, historyRetention,
                pruneInterval, busyTimeout, readers, readQueueCapacity);
    }

    public SqliteSettings withMaxBatchOps(int maxBatchOps) {
        return new SqliteSettings(dataDir, maxBatchOps, maxBatchRows, queueCapacity, retention, historyRetention,
                pruneInterval, busyTimeout, readers, readQueueCapacity);
    }

    public SqliteSettings withMaxBatchRows(int maxBatchRows) {
        return new SqliteSettings(dataDir, maxBatchOps, maxBatchRows, queueCapacity, retention, historyRetention,
                pruneInterval, busyTimeout, readers, readQueueCapacity);
    }

    public SqliteSettings withQueueCapacity(int queueCapacity) {
        return new SqliteSettings(dataDir, maxBatchOps, maxBatchRows, queueCapacity, retention, historyRetention,
                pruneInterval, busyTimeout, readers, readQueueCapacity);
    }

    public SqliteSettings withRetention(Duration retention) {
        return new SqliteSettings(dataDir, maxBatchOps, maxBatchRows, queueCapacity, retention, historyRetention,
                pruneInterval, busyTimeout, readers, readQueueCapacity);
    }

    public SqliteSettings withHistoryRetention(Duration historyRetention) {
        return new SqliteSettings(dataDir, maxBatchOps, maxBatchRows, queueCapacity, retention, historyRetention,
                pruneInterval, busyTimeout, readers, readQueueCapacity);
    }

    public SqliteSettings withPruneInterval(Duration pruneInterval) {
        return new SqliteSettings(dataDir, maxBatchOps, maxBatchRows, queueCapacity, retention, historyRetention,
                pruneInterval, busyTimeout, readers, readQueueCapacity);
    }

    public SqliteSettings withBusyTimeout(Duration busyTimeout) {
        return new SqliteSettings(dataDir, maxBatchOps, maxBatchRows, queueCapacity, retention, historyRetention,
                pruneInterval, busyTimeout, readers, readQueueCapacity);
    }

    public SqliteSettings withReaders(int readers) {
        return new SqliteSettings(dataDir, maxBatchOps, maxBatchRows, queueCapacity, retention, historyRetention,
                pruneInterval, busyTimeout, readers, readQueueCapacity);
    }

    public SqliteSettings withReadQueueCapacity(int readQueueCapacity) {
        return new SqliteSettings(dataDir, maxBatchOps, maxBatchRows, queueCapacity, retention, historyRetention,
                pruneInterval, busyTimeout, readers, readQueueCapacity);
    }

    private static void requireAtLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ": " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
