package dev.switchboard.im.store;

import dev.switchboard.im.store.memory.MemoryStorage;
import dev.switchboard.im.store.postgres.PostgresSettings;
import dev.switchboard.im.store.postgres.PostgresStorage;
import dev.switchboard.im.store.sqlite.SqliteSettings;
import dev.switchboard.im.store.sqlite.SqliteStorage;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.switchboard.framework.Service;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreModuleTest {

    @Test
    void memoryBindsOneStorageAndItsStores() {
        Injector injector = Guice.createInjector(StoreModule.memory());

        Storage storage = injector.getInstance(Storage.class);

        assertThat(storage).isInstanceOf(MemoryStorage.class).isSameAs(injector.getInstance(Storage.class));
        assertThat(injector.getInstance(UserStore.class)).isSameAs(storage.users());
        assertThat(injector.getInstance(GroupStore.class)).isSameAs(storage.groups());
        assertThat(injector.getInstance(MessageStore.class)).isSameAs(storage.messages());
    }

    @Test
    void sqliteBindsTheStorageAsAServiceAndOpensNothing(@TempDir Path dir) {
        Path dataDir = dir.resolve("data");
        Injector injector = Guice.createInjector(StoreModule.sqlite(SqliteSettings.defaults().withDataDir(dataDir)));

        Storage storage = injector.getInstance(Storage.class);
        Set<Service> services = injector.getInstance(Key.get(new TypeLiteral<Set<Service>>() { }));

        assertThat(storage).isInstanceOf(SqliteStorage.class);
        assertThat(services).containsExactly((Service) storage);
        assertThat(injector.getInstance(MessageStore.class)).isSameAs(storage.messages());
        assertThat(((SqliteStorage) storage).settings().dataDir()).isEqualTo(dataDir);
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void postgresBindsTheStorageAsAServiceAndConnectsToNothing() {
        // Nothing listens on port 1: binding must not try to connect.
        PostgresSettings settings = PostgresSettings.of("jdbc:postgresql://127.0.0.1:1/switchboard");
        Injector injector = Guice.createInjector(StoreModule.postgres(settings));

        Storage storage = injector.getInstance(Storage.class);
        Set<Service> services = injector.getInstance(Key.get(new TypeLiteral<Set<Service>>() { }));

        assertThat(storage).isInstanceOf(PostgresStorage.class);
        assertThat(services).containsExactly((Service) storage);
        assertThat(injector.getInstance(UserStore.class)).isSameAs(storage.users());
        assertThat(((PostgresStorage) storage).settings()).isEqualTo(settings);
    }
}
