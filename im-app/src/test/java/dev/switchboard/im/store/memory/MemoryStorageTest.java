package dev.switchboard.im.store.memory;

import dev.switchboard.im.store.TestMessages;
import dev.switchboard.im.store.StorageContractTest;
import dev.switchboard.im.store.Appended;
import dev.switchboard.im.store.InboxEntry;
import dev.switchboard.im.store.MessageStore;
import dev.switchboard.im.store.NewMessage;
import dev.switchboard.im.store.Storage;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStorageTest extends StorageContractTest {

    @Override
    protected Storage open() {
        return new MemoryStorage();
    }

    @Test
    void stagesAreAlreadyCompleteWhenReturned() {
        assertThat(storage.users().findByName("x").toCompletableFuture()).isDone();
        assertThat(storage.messages().append(TestMessages.of("a", "a", null, null, "t", 1, List.of("b")))
                .toCompletableFuture()).isCompleted();
    }

    @Test
    void acknowledgedEntriesAreDroppedAndTheRingKeepsSeqsAcrossWrapAround() {
        for (int i = 0; i < 100; i++) {
            append(null, "bob");
        }
        await(storage.messages().acknowledge("bob", 90));
        for (int i = 0; i < 100; i++) {
            append(null, "bob");
        }
        await(storage.messages().acknowledge("bob", 150));

        List<InboxEntry> all = await(storage.messages().inboxAfter("bob", 0, 1000));

        assertThat(seqs(all)).containsExactlyElementsOf(range(151, 200));
        assertThat(seqs(await(storage.messages().inboxAfter("bob", 160, 5)))).containsExactly(161L, 162L, 163L, 164L, 165L);
        assertThat(append(null, "bob").seqByRecipient()).containsEntry("bob", 201L);
    }

    @Test
    void deduplicationForgetsEachSendersOldestKeysBeyondItsWindow() {
        Appended first = append("key-0", "bob");
        int window = MemoryMessageStore.DEDUP_PER_SENDER;
        for (int i = 1; i <= 2 * window; i++) {
            append("key-" + i, "bob");
        }

        Appended retryOfFirst = append("key-0", "bob");
        for (int i = window + 1; i <= 2 * window; i++) {
            assertThat(append("key-" + i, "bob").duplicate()).as("key-%d is among the last %d", i, window).isTrue();
        }
        Appended retryOfLast = append("key-" + 2 * window, "bob");

        assertThat(retryOfFirst.duplicate()).isFalse();
        assertThat(retryOfFirst.message().messageId()).isNotEqualTo(first.message().messageId());
        assertThat(retryOfLast.duplicate()).isTrue();
    }

    @Test
    void aChattySenderDoesNotPushOutAnotherSendersIds() {
        MessageStore messages = storage.messages();
        Appended quiet = await(messages.append(TestMessages.of("quiet", "quiet", "q-1", null, "hi", 1L, List.of("bob"))));
        for (int i = 0; i < 2 * MemoryMessageStore.DEDUP_PER_SENDER; i++) {
            await(messages.append(TestMessages.of("chatty", "chatty", "c-" + i, null, "x", 1L, List.of("bob"))));
        }
        Appended retry = await(messages.append(TestMessages.of("quiet", "quiet", "q-1", null, "hi", 1L, List.of("bob"))));
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.message()).isEqualTo(quiet.message());
    }
}
