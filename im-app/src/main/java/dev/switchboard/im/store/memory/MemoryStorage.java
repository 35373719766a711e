package dev.switchboard.im.store.memory;

import dev.switchboard.im.store.GroupStore;
import dev.switchboard.im.store.MessageStore;
import dev.switchboard.im.store.Storage;
import dev.switchboard.im.store.UserStore;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Storage in the heap, for tests and benchmarks: same semantics as {@link SqliteStorage} except that nothing
 * survives the process, acknowledged inbox entries are dropped at once (so memory stays bounded as long as clients
 * acknowledge) and deduplication covers a bounded window of recent appends. Thread-safe; every operation runs under
 * its store's lock on the calling thread and returns an already completed stage.
 */
public final class MemoryStorage implements Storage {

    private final MemoryUserStore users = new MemoryUserStore();
    private final MemoryMessageStore messages = new MemoryMessageStore();
    private final MemoryGroupStore groups = new MemoryGroupStore(messages::lastMessageId);

    @Inject
    public MemoryStorage() {
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
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public String toString() {
        return "MemoryStorage";
    }
}
