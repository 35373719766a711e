package dev.switchboard.im.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.framework.Service;
import dev.switchboard.im.store.GroupStore;
import dev.switchboard.im.store.MessageStore;
import dev.switchboard.im.store.Storage;
import dev.switchboard.im.store.StorageFailedException;
import dev.switchboard.im.store.StorageFailureListener;
import dev.switchboard.im.store.StoreException;
import dev.switchboard.im.store.UserStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage in a PostgreSQL database that several server processes (cluster nodes) may share.
 *
 * <p>Each instance has one writer thread with group commit ({@link PostgresWriter}): what is queued runs in one
 * transaction on a pooled connection, then the stages complete in submission order on that thread, so a read sees
 * every earlier operation of this instance, and no JDBC call ever runs on the caller's (event loop) thread. The
 * queue is bounded by {@link PostgresSettings#queueCapacity()}. Across instances the database decides: ids come from
 * a sequence, seqs from per-user counter rows bumped under row locks, deduplication from a unique index (see
 * {@link PostgresMessageStore}), group changes under the group's row lock. Nothing that must agree between nodes is
 * kept in memory.
 *
 * <p>Life cycle: the constructor only records settings; {@link #start()} opens the pool, applies the migrations
 * ({@link PostgresSchema}) and starts the writer; {@link #stop()} commits what is queued and closes the pool.
 * Operations submitted before {@code start()} or after {@code stop()} fail with {@link StoreException}.
 *
 * <p>Failures ({@link FailureKind}): a lost connection or a restarting server fails the operations concerned with
 * {@link StoreException} and the store serves again once the database answers; only an {@link Error} on the writer
 * thread stops it for good ({@link StorageFailedException}, the {@link StorageFailureListener} told once).
 *
 * <p>As a {@link MeterBinder} it reports its writer under the same names as the SQLite store:
 * {@code switchboard.im.store.queue}, {@code switchboard.im.store.commits},
 * {@code switchboard.im.store.commit.latency}.
 *
 * <p>Not done yet: pruning. Acknowledged inbox entries and old messages stay until an operator deletes them (see
 * {@code docs/im-app.md}).
 */
public final class PostgresStorage implements Storage, Service, MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(PostgresStorage.class);
    private static final Duration[] COMMIT_BUCKETS = {
            Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(5)};

    private final PostgresSettings settings;
    private final PostgresWriter writer;
    private final PostgresUserStore users;
    private final PostgresGroupStore groups;
    private final PostgresMessageStore messages;

    private HikariDataSource pool; // guarded by this
    private boolean started; // guarded by this

    /** A store that only logs a fatal failure ({@link StorageFailureListener#logOnly()}). */
    public PostgresStorage(PostgresSettings settings) {
        this(settings, StorageFailureListener.logOnly());
    }

    @Inject
    public PostgresStorage(PostgresSettings settings, StorageFailureListener listener) {
        this(settings, System::currentTimeMillis, listener);
    }

    PostgresStorage(PostgresSettings settings, LongSupplier clock, StorageFailureListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        this.writer = new PostgresWriter("postgres-store-writer", settings, new PostgresWriter.Connections() {
            @Override
            public Connection get() throws SQLException {
                return connection();
            }

            @Override
            public void dropIdle() {
                dropIdleConnections();
            }
        }, Objects.requireNonNull(listener, "listener"));
        this.users = new PostgresUserStore(writer, clock);
        this.groups = new PostgresGroupStore(writer, clock);
        this.messages = new PostgresMessageStore(writer, clock);
    }

    @Override
    public synchronized void start() throws SQLException {
        if (started) {
            throw new IllegalStateException(this + " was already started");
        }
        started = true;
        pool = new HikariDataSource(poolConfig(settings));
        try (Connection connection = pool.getConnection()) {
            int version = PostgresSchema.migrate(connection, settings.where());
            log.info("Opened {} (schema version {}, pool of {})", settings.where(), version, settings.poolSize());
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw e;
        }
        writer.start();
    }

    static HikariConfig poolConfig(PostgresSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("switchboard-postgres");
        config.setJdbcUrl(settings.jdbcUrl());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setValidationTimeout(Math.min(settings.connectionTimeout().toMillis(), 5_000));
        // Start fails through the first getConnection (with the driver's reason), not in the pool's constructor.
        config.setInitializationFailTimeout(-1);
        config.setConnectionInitSql("SET statement_timeout = " + settings.statementTimeout().toMillis());
        config.addDataSourceProperty("ApplicationName", "switchboard");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        // A dead server must not hang a login attempt past the connection timeout.
        config.addDataSourceProperty("connectTimeout",
                String.valueOf(Math.max(1, settings.connectionTimeout().toSeconds())));
        return config;
    }

    private Connection connection() throws SQLException {
        HikariDataSource source;
        synchronized (this) {
            source = pool;
        }
        if (source == null) {
            throw new SQLException("the connection pool is not open");
        }
        return source.getConnection();
    }

    private void dropIdleConnections() {
        HikariDataSource source;
        synchronized (this) {
            source = pool;
        }
        if (source != null && source.getHikariPoolMXBean() != null) {
            source.getHikariPoolMXBean().softEvictConnections();
        }
    }

    @Override
    public void stop() {
        writer.stop();
        HikariDataSource source;
        synchronized (this) {
            source = pool;
        }
        if (source != null && !source.isClosed()) {
            source.close();
            log.info("Closed the pool of {}", settings.where());
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("switchboard.im.store.queue", writer, PostgresWriter::queued)
                .description("Store operations queued for the store's writer thread").strongReference(true)
                .register(registry);
        FunctionCounter.builder("switchboard.im.store.commits", writer, PostgresWriter::commits)
                .description("Store transactions committed (batches of operations)").register(registry);
        writer.commitLatency(Timer.builder("switchboard.im.store.commit.latency")
                .description("Time to commit one store transaction")
                .serviceLevelObjectives(COMMIT_BUCKETS).register(registry));
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
        return writer.submit(tx -> {
            PostgresWriter.queryLong(tx.prepare("SELECT 1"));
            return null;
        });
    }

    public PostgresSettings settings() {
        return settings;
    }

    /** Transactions committed so far; fewer than operations when group commit works. */
    long commits() {
        return writer.commits();
    }

    PostgresWriter writer() {
        return writer;
    }

    @Override
    public String toString() {
        return "PostgresStorage[" + settings.where() + "]";
    }
}
