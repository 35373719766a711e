package dev.switchboard.im.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.store.Appended;
import dev.switchboard.im.store.Conversation;
import dev.switchboard.im.store.ConversationSummary;
import dev.switchboard.im.store.MemberSince;
import dev.switchboard.im.store.NewMessage;
import dev.switchboard.im.store.StorageFailedException;
import dev.switchboard.im.store.StorageFailureListener;
import dev.switchboard.im.store.StoreException;
import dev.switchboard.im.store.StoreOverloadedException;
import dev.switchboard.im.store.StoredMessage;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read path of {@link SqliteStorage}: {@link StoreReaders} beside the writer. */
class StoreReadersTest {

    private static final long T0 = 1_760_000_000_000L;

    @TempDir
    Path dir;

    private final List<StorageFailedException> told = new CopyOnWriteArrayList<>();
    private final CountDownLatch listenerTold = new CountDownLatch(1);
    private final List<CountDownLatch> releaseOnClose = new ArrayList<>();
    private SqliteStorage storage;

    @AfterEach
    void stop() {
        releaseOnClose.forEach(CountDownLatch::countDown);
        if (storage != null) {
            storage.stop();
        }
    }

    private SqliteStorage start(SqliteSettings settings) throws Exception {
        StorageFailureListener listener = failure -> {
            told.add(failure);
            listenerTold.countDown();
        };
        storage = new SqliteStorage(settings, () -> T0, listener);
        storage.start();
        return storage;
    }

    private SqliteSettings settings() {
        return SqliteSettings.defaults().withDataDir(dir);
    }

    @Test
    void aReadWaitsForTheWritesSubmittedBeforeItThenRunsBesideTheWriter() throws Exception {
        start(settings());
        StoredMessage hello = send("alice", "bob", "hello", 1).message();
        CountDownLatch inTransaction = new CountDownLatch(1);
        CountDownLatch release = latch();
        CompletableFuture<Object> longTransaction = storage.writer().submit(db -> {
            // A write in the open transaction, not committed until the latch is released.
            db.prepare("UPDATE messages SET text = 'edited' WHERE message_id = " + hello.messageId())
                    .executeUpdate();
            inTransaction.countDown();
            awaitUninterruptibly(release);
            return null;
        });
        assertThat(inTransaction.await(10, TimeUnit.SECONDS)).as("writer inside its transaction").isTrue();

        CompletableFuture<List<StoredMessage>> history = storage.messages()
                .history("bob", Conversation.direct("alice"), 0, Long.MAX_VALUE, 10).toCompletableFuture();
        CompletableFuture<List<ConversationSummary>> list = storage.messages()
                .conversations("bob", List.of(), Long.MAX_VALUE, 10).toCompletableFuture();
        assertThat(history).as("submitted after the write: waits for its commit").isNotDone();
        assertThat(list).isNotDone();

        release.countDown();
        await(longTransaction);
        assertThat(history.get(10, TimeUnit.SECONDS)).extracting(StoredMessage::text).containsExactly("edited");
        assertThat(list.get(10, TimeUnit.SECONDS)).singleElement()
                .satisfies(summary -> assertThat(summary.lastMessage().text()).isEqualTo("edited"));
        // The reads ran on reader connections: the writer ran one marker per read and nothing else.
        assertThat(storage.readers().reads()).isEqualTo(2);
    }

    /**
     * Appends (some awaited, most not) and history and conversation-list reads, interleaved at random with a fixed
     * seed, against a model: the appends in submission order. The writer commits in that order, so a read must
     * return a prefix of them at least as long as the appends submitted before it, completed or not (it may see
     * later ones too: those committed in the same batch as its marker or before it ran).
     */
    @Test
    void readsSeeEveryAppendSubmittedBeforeThem() throws Exception {
        start(settings());
        Random random = new Random(20261203L);
        String[] peers = {"bob", "carol", "dave"};
        List<List<CompletableFuture<Appended>>> submitted = new ArrayList<>();
        for (int p = 0; p < peers.length; p++) {
            submitted.add(new ArrayList<>());
        }
        record HistoryRead(int peer, int completed, CompletableFuture<List<StoredMessage>> page) { }
        record ListRead(int[] completed, CompletableFuture<List<ConversationSummary>> list) { }
        List<HistoryRead> histories = new ArrayList<>();
        List<ListRead> lists = new ArrayList<>();
        for (int step = 0; step < 1500; step++) {
            int p = random.nextInt(peers.length);
            List<CompletableFuture<Appended>> appends = submitted.get(p);
            int choice = random.nextInt(10);
            if (choice < 5 && appends.size() < 400) {
                CompletableFuture<Appended> append = storage.messages()
                        .append(message("alice", peers[p], "m" + step, step)).toCompletableFuture();
                appends.add(append);
                if (choice == 0) {
                    append.get(10, TimeUnit.SECONDS);
                }
            } else if (choice < 8) {
                int completed = appends.size(); // submitted before the read, most not completed
                histories.add(new HistoryRead(p, completed, storage.messages()
                        .history("alice", Conversation.direct(peers[p]), 0, Long.MAX_VALUE, 1000)
                        .toCompletableFuture()));
            } else {
                int[] completed = new int[peers.length];
                for (int q = 0; q < peers.length; q++) {
                    completed[q] = submitted.get(q).size();
                }
                lists.add(new ListRead(completed, storage.messages()
                        .conversations("alice", List.of(), Long.MAX_VALUE, 10).toCompletableFuture()));
            }
            if (random.nextInt(100) == 0) {
                await(storage.ping()); // now and then let everything queued commit
            }
        }

        List<List<StoredMessage>> model = new ArrayList<>();
        for (List<CompletableFuture<Appended>> appends : submitted) {
            model.add(appends.stream().map(f -> await(f).message()).toList());
        }
        for (HistoryRead read : histories) {
            List<StoredMessage> seen = oldestFirst(await(read.page()));
            List<StoredMessage> all = model.get(read.peer());
            assertThat(seen.size()).as("messages seen, of %d submitted before the read", read.completed())
                    .isGreaterThanOrEqualTo(read.completed());
            assertThat(seen).isEqualTo(all.subList(0, seen.size()));
        }
        for (ListRead read : lists) {
            List<ConversationSummary> list = await(read.list());
            for (int q = 0; q < peers.length; q++) {
                Conversation conversation = Conversation.direct(peers[q]);
                StoredMessage last = list.stream().filter(s -> s.conversation().equals(conversation))
                        .map(ConversationSummary::lastMessage).findFirst().orElse(null);
                int completed = read.completed()[q];
                if (last == null) {
                    assertThat(completed).as("appends to %s submitted, yet no conversation", peers[q]).isZero();
                } else {
                    assertThat(model.get(q).indexOf(last)).as("the newest message seen with %s", peers[q])
                            .isGreaterThanOrEqualTo(completed - 1);
                }
            }
        }
        assertThat(histories.size() + lists.size()).isGreaterThan(500);
    }

    /**
     * Found by the delivery model test on a cluster: two pipelined mark-read requests, each a read then a write, had
     * their writes reordered when the second request's read finished first, and the answers' positions went back.
     */
    @Test
    void readsCompleteInSubmissionOrderThoughTheyRunSideBySide() throws Exception {
        start(settings().withReaders(2));
        send("alice", "bob", "hello", 1);
        CountDownLatch release = latch();
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<String> slow = storage.readers().submit(db -> {
            running.countDown();
            awaitUninterruptibly(release);
            return "slow";
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<List<String>> fast = storage.messages().directPeers("bob", 10).toCompletableFuture();
        List<String> completed = new CopyOnWriteArrayList<>();
        slow.thenRun(() -> completed.add("slow"));
        fast.thenRun(() -> completed.add("fast"));

        // the fast read runs on the other reader and finishes its work, but its stage waits for the slow one's
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (storage.readers().reads() < 1) {
            assertThat(System.nanoTime()).as("the fast read ran").isLessThan(deadline);
            Thread.onSpinWait();
        }
        assertThat(fast).isNotDone();
        release.countDown();
        assertThat(await(fast)).containsExactly("alice");
        assertThat(completed).containsExactly("slow", "fast");
    }

    @Test
    void aFullReadQueueRejectsAtOnceWithStoreOverloaded() throws Exception {
        start(settings().withReaders(1).withReadQueueCapacity(3)); // reads waiting or running
        CountDownLatch release = blockReader();
        List<CompletableFuture<List<String>>> queued = List.of(
                storage.messages().directPeers("bob", 10).toCompletableFuture(),
                storage.messages().directPeers("bob", 10).toCompletableFuture());

        CompletableFuture<List<StoredMessage>> rejected = storage.messages()
                .history("bob", Conversation.direct("alice"), 0, Long.MAX_VALUE, 10).toCompletableFuture();

        assertThat(rejected).isCompletedExceptionally();
        assertThat(failure(rejected)).isInstanceOf(StoreOverloadedException.class).hasMessageContaining("3");
        assertThat(await(storage.messages().append(message("alice", "bob", "writes go on", 1))).duplicate())
                .as("the writer is not affected").isFalse();
        release.countDown();
        assertThat(queued).allSatisfy(read -> assertThat(await(read)).containsExactly("alice"));
    }

    @Test
    void stopFinishesQueuedReadsAndLaterReadsFail() throws Exception {
        start(settings().withReaders(1));
        send("alice", "bob", "hello", 1);
        CountDownLatch release = blockReader();
        CompletableFuture<List<StoredMessage>> queued = storage.messages()
                .history("bob", Conversation.direct("alice"), 0, Long.MAX_VALUE, 10).toCompletableFuture();
        Thread stopper = new Thread(storage::stop);
        stopper.start();
        while (storage.readers().isRunning()) {
            Thread.onSpinWait(); // until stop() has closed the read queue
        }

        assertThat(failure(storage.messages().readCount("g1", 1, "bob")))
                .isInstanceOf(StoreException.class).hasMessageContaining("not running");
        release.countDown();
        stopper.join(30_000);

        assertThat(stopper.isAlive()).isFalse();
        assertThat(await(queued)).extracting(StoredMessage::text).containsExactly("hello");
        assertThat(failure(storage.messages().history("bob", Conversation.direct("alice"), 0, Long.MAX_VALUE, 10)))
                .isInstanceOf(StoreException.class).isNotInstanceOf(StorageFailedException.class)
                .hasMessageContaining("not running");
    }

    @Test
    void readsBeforeStartFail() {
        SqliteStorage unstarted = new SqliteStorage(settings());

        assertThat(failure(unstarted.messages().conversations("bob", List.of(), Long.MAX_VALUE, 10)))
                .isInstanceOf(StoreException.class).hasMessageContaining("not running");
        unstarted.stop();
    }

    @Test
    void aFatalWriterFailureFailsReadsWithTheSameException() throws Exception {
        start(settings());
        CompletableFuture<Object> fatal = storage.writer().submit(db -> {
            throw new OutOfMemoryError("simulated");
        });
        StorageFailedException failed = (StorageFailedException) failure(fatal);

        assertThat(failure(storage.messages().history("bob", Conversation.direct("alice"), 0, Long.MAX_VALUE, 10)))
                .isSameAs(failed);
        assertThat(failure(storage.users().findByIds(List.of("bob")))).isSameAs(failed);
        assertThat(listenerTold.await(10, TimeUnit.SECONDS)).as("listener told").isTrue();
        assertThat(told).containsExactly(failed);
    }

    @Test
    void aFatalFailureOnAReaderFailsTheWholeStoreOnce() throws Exception {
        start(settings());
        CompletableFuture<Object> read = storage.readers().submit(db -> {
            throw new OutOfMemoryError("simulated on a reader");
        });

        Throwable failed = failure(read);
        assertThat(failed).isInstanceOf(StorageFailedException.class).hasMessageContaining("sqlite-store-reader-")
                .hasRootCauseMessage("simulated on a reader");
        assertThat(failure(storage.messages().append(message("alice", "bob", "lost", 1)))).isSameAs(failed);
        assertThat(failure(storage.messages().directPeers("bob", 10))).isSameAs(failed);
        assertThat(failure(storage.ping())).isSameAs(failed);
        assertThat(listenerTold.await(10, TimeUnit.SECONDS)).as("listener told").isTrue();
        assertThat(storage.writer().state()).isEqualTo(WriterState.FAILED);
        assertThat(told).containsExactly((StorageFailedException) failed);
    }

    @Test
    void aFailedReadFailsAloneAndAWriteOnAReaderIsRefused() throws Exception {
        start(settings());
        send("alice", "bob", "hello", 1);

        assertThat(failure(storage.readers().submit(db -> db.prepare("SELECT nope FROM nowhere").executeQuery())))
                .isInstanceOf(StoreException.class).isNotInstanceOf(StorageFailedException.class)
                .hasCauseInstanceOf(SQLException.class);
        assertThat(failure(storage.readers().submit(db -> db.prepare("DELETE FROM messages").executeUpdate())))
                .isInstanceOf(StoreException.class).isNotInstanceOf(StorageFailedException.class)
                .hasMessageContaining("readonly");

        assertThat(await(storage.messages().history("bob", Conversation.direct("alice"), 0, Long.MAX_VALUE, 10)))
                .extracting(StoredMessage::text).containsExactly("hello");
        assertThat(storage.writer().isRunning()).isTrue();
        assertThat(told).isEmpty();
    }

    // ---- helpers

    private Appended send(String from, String to, String text, long timestamp) {
        return await(storage.messages().append(message(from, to, text, timestamp)));
    }

    private static NewMessage message(String from, String to, String text, long timestamp) {
        return NewMessage.direct(from, from, null, to, text, timestamp);
    }

    private CountDownLatch latch() {
        CountDownLatch latch = new CountDownLatch(1);
        releaseOnClose.add(latch);
        return latch;
    }

    /** Occupies a reader thread until the returned latch is released; returns once it is occupied. */
    private CountDownLatch blockReader() throws InterruptedException {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = latch();
        storage.readers().submit(db -> {
            blocked.countDown();
            awaitUninterruptibly(release);
            return null;
        });
        assertThat(blocked.await(10, TimeUnit.SECONDS)).as("reader blocked").isTrue();
        return release;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).as("released").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<StoredMessage> oldestFirst(List<StoredMessage> newestFirst) {
        List<StoredMessage> reversed = new ArrayList<>(newestFirst);
        Collections.reverse(reversed);
        return reversed;
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("stage did not complete normally in time", e);
        }
    }

    private static Throwable failure(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("stage did not fail in time", e);
        }
        throw new AssertionError("stage completed normally");
    }
}
