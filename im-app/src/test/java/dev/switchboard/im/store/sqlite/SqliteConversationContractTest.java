package dev.switchboard.im.store.sqlite;

import dev.switchboard.im.store.ConversationContractTest;
import dev.switchboard.im.store.Storage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteConversationContractTest extends ConversationContractTest {

    @TempDir
    Path dir;

    @Override
    protected Storage open() throws Exception {
        SqliteStorage storage = new SqliteStorage(SqliteSettings.defaults().withDataDir(dir));
        storage.start();
        return storage;
    }

    @Override
    protected void close(Storage storage) {
        ((SqliteStorage) storage).stop();
    }
}
