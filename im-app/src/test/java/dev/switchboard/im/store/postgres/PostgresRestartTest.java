package dev.switchboard.im.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.store.Appended;
import dev.switchboard.im.store.InboxEntry;
import dev.switchboard.im.store.StorageFailedException;
import dev.switchboard.im.store.StoreException;
import dev.switchboard.im.store.TestMessages;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL server that stops and starts again between operations: what is submitted while it is down fails
 * with {@link StoreException} (a transient failure: not {@link StorageFailedException}, no listener told), and
 * the store serves again once it is back, seqs going on without a gap.
 */
class PostgresRestartTest {

    private static TestPostgres postgres;

    @BeforeAll
    static void startServer() throws Exception {
        postgres = TestPostgres.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        postgres.close();
    }

    @Test
    void operationsFailWhileTheServerIsDownAndSucceedOnceItIsBack() throws Exception {
        AtomicInteger fatal = new AtomicInteger();
        PostgresStorage storage = new PostgresStorage(postgres.freshSettings(), System::currentTimeMillis,
                failure -> fatal.incrementAndGet());
        storage.start();
        try {
            Appended first = await(storage.messages().append(
                    TestMessages.of("alice", "alice", "c1", null, "before", 1, List.of("bob"))));
            assertThat(first.seqByRecipient()).containsEntry("bob", 1L);

            postgres.stopServer();
            Throwable down = failure(storage.messages().append(
                    TestMessages.of("alice", "alice", "c2", null, "while down", 2, List.of("bob"))));
            assertThat(down).isInstanceOf(StoreException.class).isNotInstanceOf(StorageFailedException.class);
            assertThat(failure(storage.ping())).isInstanceOf(StoreException.class);

            postgres.restartServer();
            await(storage.ping());
            Appended retried = await(storage.messages().append(
                    TestMessages.of("alice", "alice", "c2", null, "while down", 2, List.of("bob"))));
            assertThat(retried.duplicate()).as("the failed append stored nothing").isFalse();
            assertThat(retried.seqByRecipient()).containsEntry("bob", 2L);
            assertThat(await(storage.messages().inboxAfter("bob", 0, 10))).extracting(InboxEntry::seq)
                    .containsExactly(1L, 2L);
            assertThat(storage.writer().state()).isEqualTo(PostgresWriter.State.RUNNING);
            assertThat(fatal).hasValue(0);
        } finally {
            storage.stop();
        }
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }

    private static Throwable failure(java.util.concurrent.CompletionStage<?> stage) throws Exception {
        try {
            stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }
}
