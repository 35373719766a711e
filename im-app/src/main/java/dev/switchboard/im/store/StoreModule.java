package dev.switchboard.im.store;

import dev.switchboard.im.store.memory.MemoryStorage;
import dev.switchboard.im.store.postgres.PostgresSettings;
import dev.switchboard.im.store.postgres.PostgresStorage;
import dev.switchboard.im.store.sqlite.SqliteSettings;
import dev.switchboard.im.store.sqlite.SqliteStorage;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.switchboard.framework.Service;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Binds {@link Storage}, {@link UserStore}, {@link GroupStore} and {@link MessageStore} as singletons, backed by
 * {@link MemoryStorage} ({@link #memory()}), {@link SqliteStorage} ({@link #sqlite}) or {@link PostgresStorage}
 * ({@link #postgres}); the SQLite and PostgreSQL storages are also bound as a {@link Service}, so the server starts
 * them before binding its port and stops them at shutdown, and as a Micrometer {@link MeterBinder} (their writer's
 * queue and commits). Binds only: no file or connection is opened and no thread started until
 * {@link Service#start()}.
 *
 * <p>Declares an optional {@link StorageFailureListener} defaulting to {@link StorageFailureListener#logOnly()};
 * an application overrides it with {@code OptionalBinder.newOptionalBinder(binder(),
 * StorageFailureListener.class).setBinding()}.
 */
public final class StoreModule extends AbstractModule {

    private final SqliteSettings sqlite; // null: not SQLite
    private final PostgresSettings postgres; // null: not PostgreSQL
    private final Storage shared; // non-null: an instance the caller owns; all null: memory

    private StoreModule(SqliteSettings sqlite, PostgresSettings postgres, Storage shared) {
        this.sqlite = sqlite;
        this.postgres = postgres;
        this.shared = shared;
    }

    /** Storage in the heap, for tests and benchmarks. */
    public static StoreModule memory() {
        return new StoreModule(null, null, null);
    }

    /**
     * A storage the caller has started and will stop, shared by several servers in one process: cluster nodes on
     * one store in tests.
     */
    public static StoreModule shared(Storage storage) {
        return new StoreModule(null, null, Objects.requireNonNull(storage, "storage"));
    }

    /** Durable storage in an SQLite database configured by {@code settings}. */
    public static StoreModule sqlite(SqliteSettings settings) {
        return new StoreModule(Objects.requireNonNull(settings, "settings"), null, null);
    }

    /** Durable storage in a PostgreSQL database, which several servers may share, configured by {@code settings}. */
    public static StoreModule postgres(PostgresSettings settings) {
        return new StoreModule(null, Objects.requireNonNull(settings, "settings"), null);
    }

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), StorageFailureListener.class)
                .setDefault().toInstance(StorageFailureListener.logOnly());
        if (shared != null) {
            bind(Storage.class).toInstance(shared);
        } else if (postgres != null) {
            bind(PostgresSettings.class).toInstance(postgres);
            bind(PostgresStorage.class).in(Singleton.class);
            bind(Storage.class).to(PostgresStorage.class);
            Multibinder.newSetBinder(binder(), Service.class).addBinding().to(PostgresStorage.class);
            Multibinder.newSetBinder(binder(), MeterBinder.class).addBinding().to(PostgresStorage.class);
        } else if (sqlite == null) {
            bind(MemoryStorage.class).in(Singleton.class);
            bind(Storage.class).to(MemoryStorage.class);
        } else {
            bind(SqliteSettings.class).toInstance(sqlite);
            bind(SqliteStorage.class).in(Singleton.class);
            bind(Storage.class).to(SqliteStorage.class);
            Multibinder.newSetBinder(binder(), Service.class).addBinding().to(SqliteStorage.class);
            // Its writer's queue, commits and commit latency, for whoever records metrics.
            Multibinder.newSetBinder(binder(), MeterBinder.class).addBinding().to(SqliteStorage.class);
        }
    }

    @Provides
    @Singleton
    UserStore users(Storage storage) {
        return storage.users();
    }

    @Provides
    @Singleton
    GroupStore groups(Storage storage) {
        return storage.groups();
    }

    @Provides
    @Singleton
    MessageStore messages(Storage storage) {
        return storage.messages();
    }

    @Override
    public String toString() {
        if (shared != null) {
            return "StoreModule[shared " + shared + "]";
        }
        if (postgres != null) {
            return "StoreModule[postgres " + postgres.where() + "]";
        }
        return sqlite == null ? "StoreModule[memory]" : "StoreModule[sqlite " + sqlite.databaseFile() + "]";
    }
}
