package dev.switchboard.im.store.postgres;

import dev.switchboard.im.store.Storage;
import dev.switchboard.im.store.ConversationContractTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The conversation contract against a real PostgreSQL, a fresh schema per test. */
class PostgresConversationContractTest extends ConversationContractTest {

    private static TestPostgres postgres;

    private final List<PostgresStorage> opened = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        postgres = TestPostgres.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        postgres.close();
    }

    @Override
    protected Storage open() throws Exception {
        PostgresStorage storage = new PostgresStorage(postgres.freshSettings());
        opened.add(storage);
        storage.start();
        return storage;
    }

    @Override
    protected void close(Storage storage) {
        opened.forEach(PostgresStorage::stop);
    }
}
