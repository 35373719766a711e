package dev.switchboard.im.store.sqlite;

import dev.switchboard.im.store.Conversation;
import dev.switchboard.im.store.TestMessages;
import dev.switchboard.im.store.StorageContractTest;
import dev.switchboard.im.store.Appended;
import dev.switchboard.im.store.Group;
import dev.switchboard.im.store.InboxEntry;
import dev.switchboard.im.store.Membership;
import dev.switchboard.im.store.NewMessage;
import dev.switchboard.im.store.Storage;
import dev.switchboard.im.store.StoreException;
import dev.switchboard.im.store.StoreOverloadedException;
import dev.switchboard.im.store.UserAccount;
import dev.switchboard.im.store.UserExistsException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.im.store.sqlite.SqliteSchema.Migration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStorageTest extends StorageContractTest {

    private static final long T0 = 1_760_000_000_000L;

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(T0);
    private final List<SqliteStorage> opened = new ArrayList<>();

    @Override
    protected Storage open() throws Exception {
        return start(settings());
    }

    @Override
    protected void close(Storage storage) {
        opened.forEach(SqliteStorage::stop);
    }

    private SqliteSettings settings() {
        return SqliteSettings.defaults().withDataDir(dir);
    }

    private SqliteStorage start(SqliteSettings settings) throws Exception {
        SqliteStorage sqlite = new SqliteStorage(settings, clock::get);
        opened.add(sqlite);
        sqlite.start();
        return sqlite;
    }

    private SqliteStorage sqlite() {
        return (SqliteStorage) storage;
    }

    /** Restarts the storage on the same directory. */
    private void restart() throws Exception {
        sqlite().stop();
        storage = start(settings());
    }

    // ---- durability across restarts

    @Test
    void theChoiceToHidePresenceSurvivesARestart() throws Exception {
        UserAccount alice = await(storage.users().register("alice", PASSWORD));
        UserAccount bob = await(storage.users().register("bob", PASSWORD));
        await(storage.users().setPresenceHidden(alice.userId(), true));
        await(storage.users().setPresenceHidden(bob.userId(), true));
        await(storage.users().setPresenceHidden(bob.userId(), false));

        restart();

        assertThat(await(storage.users().presenceHidden(alice.userId()))).isTrue();
        assertThat(await(storage.users().presenceHidden(bob.userId()))).isFalse();
    }

    @Test
    void everythingSurvivesARestartAndCountersContinue() throws Exception {
        UserAccount alice = await(storage.users().register("alice", PASSWORD));
        await(storage.users().saveToken(alice.userId(), bytes("tok"), T0 + 60_000));
        Group group = await(storage.groups().create(alice.userId(), List.of("bob", "carol")));
        await(storage.groups().quit(group.groupId(), "carol"));
        Appended first = append("c-1", "bob", "carol");
        Appended second = append(null, "bob");
        await(storage.messages().acknowledge("bob", 1));

        restart();

        assertThat(await(storage.users().findByName("alice"))).contains(alice);
        assertThat(await(storage.users().findById(alice.userId()))).contains(alice);
        assertThat(failure(storage.users().register("alice", PASSWORD))).isInstanceOf(UserExistsException.class);
        assertThat(await(storage.users().userIdForToken(bytes("tok"), T0))).contains(alice.userId());
        assertThat(await(storage.groups().find(group.groupId())).orElseThrow().memberIds())
                .containsExactly(alice.userId(), "bob");
        assertThat(await(storage.groups().groupsOf("bob"))).containsExactly(group.groupId());
        assertThat(await(storage.groups().groupsOf("carol"))).isEmpty();
        assertThat(await(storage.messages().inboxAfter("bob", 0, 10))).extracting(InboxEntry::message)
                .containsExactly(first.message(), second.message());
        assertThat(await(storage.messages().acknowledgedSeq("bob"))).isEqualTo(1);

        Appended retry = append("c-1", "bob", "carol");
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.message()).isEqualTo(first.message());
        assertThat(retry.seqByRecipient()).isEmpty();

        Appended third = append(null, "bob", "carol");
        assertThat(third.seqByRecipient()).containsOnly(Map.entry("bob", 3L), Map.entry("carol", 2L));
        assertThat(third.message().messageId()).isGreaterThan(second.message().messageId());
    }

    @Test
    void pruningDropsOnlyOldAcknowledgedEntriesAndNoIdIsReused() throws Exception {
        Appended old1 = append("c-old", "bob", "carol");
        append(null, "bob");
        await(storage.messages().acknowledge("bob", 2));
        clock.addAndGet(Duration.ofDays(8).toMillis());
        Appended recent = append(null, "bob");
        await(storage.messages().acknowledge("bob", 3));

        await(sqlite().pruneNow());

        // bob's old acknowledged entries are gone; his recent one stays although acknowledged.
        assertThat(seqs(await(storage.messages().inboxAfter("bob", 0, 10)))).containsExactly(3L);
        // carol never acknowledged: her old entry stays, and so does the message (and its idempotency key).
        assertThat(await(storage.messages().inboxAfter("carol", 0, 10))).extracting(InboxEntry::message)
                .containsExactly(old1.message());
        assertThat(append("c-old", "bob").duplicate()).isTrue();

        await(storage.messages().acknowledge("carol", 1));
        clock.addAndGet(Duration.ofDays(8).toMillis());
        await(sqlite().pruneNow());
        assertThat(await(storage.messages().inboxAfter("carol", 0, 10))).isEmpty();
        assertThat(await(storage.messages().inboxAfter("bob", 0, 10))).isEmpty();
        // Out of every inbox, the chat message stays in its conversation's history, key included, ...
        Conversation fanOut = Conversation.group(TestMessages.FAN_OUT_GROUP);
        assertThat(await(storage.messages().history("bob", fanOut, 0, Long.MAX_VALUE, 10)))
                .containsExactly(old1.message());
        assertThat(append("c-old", "dave").duplicate()).isTrue();
        // ... until the history retention has passed too.
        clock.addAndGet(Duration.ofDays(366).toMillis());
        await(sqlite().pruneNow());
        assertThat(await(storage.messages().history("bob", fanOut, 0, Long.MAX_VALUE, 10))).isEmpty();
        assertThat(append("c-old", "dave").duplicate()).isFalse(); // the message and its key are gone

        restart(); // the inboxes are empty on disk now; counters must still continue

        Appended next = append(null, "bob", "carol");
        assertThat(next.seqByRecipient()).containsOnly(Map.entry("bob", 4L), Map.entry("carol", 2L));
        assertThat(next.message().messageId()).isGreaterThan(recent.message().messageId() + 1);
    }

    @Test
    void pruningDeletesExpiredTokens() throws Exception {
        await(storage.users().saveToken("u1", bytes("expired"), T0 - 1));
        await(storage.users().saveToken("u1", bytes("valid"), T0 + 1));

        await(sqlite().pruneNow());

        long tokens = await(sqlite().writer().submit(db -> {
            try (ResultSet row = db.prepare("SELECT COUNT(*) FROM tokens").executeQuery()) {
                return row.next() ? row.getLong(1) : -1;
            }
        }));
        assertThat(tokens).isEqualTo(1);
    }

    // ---- schema

    @Test
    void anEmptyDatabaseIsMigratedToTheLatestVersion() throws Exception {
        Path other = dir.resolve("fresh");
        Files.createDirectories(other);
        Files.createFile(other.resolve(SqliteSettings.DATABASE_FILE)); // a zero-byte file is an empty database

        SqliteStorage fresh = start(settings().withDataDir(other));
        await(fresh.users().register("alice", PASSWORD));
        fresh.stop();

        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + other.resolve(SqliteSettings.DATABASE_FILE))) {
            assertThat(SqliteSchema.userVersion(db)).isEqualTo(SqliteSchema.latestVersion()).isEqualTo(7);
            assertThat(tables(db)).contains("users", "tokens", "chat_groups", "group_members", "messages", "inbox",
                    "cursors", "direct_peers", "read_positions", "presence_hidden", "conversations",
                    "store_counters").doesNotContain("messages_v6");
            try (Statement s = db.createStatement(); ResultSet mode = s.executeQuery("PRAGMA journal_mode")) {
                assertThat(mode.next()).isTrue();
                assertThat(mode.getString(1)).isEqualToIgnoringCase("wal");
            }
        }
    }

    @Test
    void version4NamesExistingGroupsAndMakesTheirFirstMemberOwner() throws Exception {
        Path other = dir.resolve("v3");
        Files.createDirectories(other);
        Path file = other.resolve(SqliteSettings.DATABASE_FILE);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            db.setAutoCommit(false);
            SqliteSchema.migrate(db, file, SqliteSchema.MIGRATIONS.subList(0, 3));
            try (Statement s = db.createStatement()) {
                s.execute("INSERT INTO chat_groups (group_id, created_at) VALUES ('g1', 1)");
                s.execute("INSERT INTO group_members (group_id, user_id) VALUES ('g1', 'bob'), ('g1', 'alice')");
            }
            db.commit();
        }

        SqliteStorage migrated = start(settings().withDataDir(other));
        try {
            Group group = await(migrated.groups().find("g1")).orElseThrow();
            assertThat(group.name()).isEqualTo("group g1");
            assertThat(group.ownerId()).isEqualTo("bob");
            assertThat(group.roleOf("alice")).isEqualTo(dev.switchboard.im.store.GroupRole.MEMBER);
            assertThat(group.muted()).isFalse();
        } finally {
            migrated.stop();
        }
    }

    @Test
    void onlyPendingMigrationsRunInOrder() throws Exception {
        Path file = dir.resolve("steps.db");
        Migration v1 = new Migration(1, "first", List.of("CREATE TABLE a (x INTEGER)"));
        Migration v2 = new Migration(2, "second", List.of("CREATE TABLE b (y INTEGER)", "INSERT INTO a VALUES (2)"));
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            db.setAutoCommit(false);
            assertThat(SqliteSchema.migrate(db, file, List.of(v1))).isEqualTo(1);
            // v1 would fail if it ran again (table a exists): only v2 may run
            assertThat(SqliteSchema.migrate(db, file, List.of(v1, v2))).isEqualTo(2);
            assertThat(SqliteSchema.userVersion(db)).isEqualTo(2);
            assertThat(tables(db)).contains("a", "b");
            assertThatThrownBy(() -> SqliteSchema.migrate(db, file, List.of(v2)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("numbered");
        }
    }

    @Test
    void aDatabaseFromANewerVersionIsRefused() throws Exception {
        sqlite().stop();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteSettings.DATABASE_FILE));
             Statement s = db.createStatement()) {
            s.execute("PRAGMA user_version = 99");
        }
        SqliteStorage newer = new SqliteStorage(settings(), clock::get);

        assertThatThrownBy(newer::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schema version 99")
                .hasMessageContaining("up to " + SqliteSchema.latestVersion())
                .hasMessageContaining(SqliteSettings.DATABASE_FILE);
        assertThat(failure(newer.users().findByName("alice"))).isInstanceOf(StoreException.class);
        // The failed start released the directory: a retry gets the same answer, not "in use".
        assertThatThrownBy(() -> new SqliteStorage(settings(), clock::get).start())
                .hasMessageContaining("schema version 99");
    }

    @Test
    void theDatabaseRunsInWalModeWithFullSyncAndLargerCheckpoints() {
        List<String> pragmas = await(sqlite().writer().submit(db -> {
            List<String> values = new ArrayList<>();
            for (String pragma : List.of("journal_mode", "synchronous", "foreign_keys",
                    "wal_autocheckpoint")) {
                try (ResultSet row = db.prepare("PRAGMA " + pragma).executeQuery()) {
                    values.add(row.next() ? row.getString(1) : null);
                }
            }
            return values;
        }));
        assertThat(pragmas).containsExactly("wal", "2", "1", "4000"); // synchronous 2 = FULL
    }

    // ---- the writer

    @Test
    void queuedOperationsAreCommittedInGroupsAndCompleteInQueueOrder() throws Exception {
        CountDownLatch release = blockWriter();
        long commitsBefore = sqlite().commits();
        List<String> submitted = new ArrayList<>();
        List<String> completed = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> all = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int t = 0; t < 4; t++) {
                int thread = t;
                pool.execute(() -> {
                    for (int i = 0; i < 250; i++) {
                        String id = thread + "/" + i;
                        synchronized (submitted) { // the list order is the queue order
                            all.add(storage.messages()
                                    .append(TestMessages.of("s" + thread, "s", id, null, "x", i, List.of("bob", "carol")))
                                    .thenAccept(a -> completed.add(id)).toCompletableFuture());
                            submitted.add(id);
                        }
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        release.countDown();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(completed).hasSize(1000).containsExactlyElementsOf(submitted);
        // 1 for the blocker, 1 for the 1000 appends (maxBatchOps 1000, 3000 rows < maxBatchRows)
        assertThat(sqlite().commits() - commitsBefore).isLessThan(1000).isLessThanOrEqualTo(2);
        assertThat(seqs(await(storage.messages().inboxAfter("carol", 0, 2000)))).containsExactlyElementsOf(range(1, 1000));
    }

    @Test
    void aTransactionIsCommittedEarlyOnceItWroteMaxBatchRows() throws Exception {
        sqlite().stop();
        storage = start(settings().withDataDir(dir.resolve("rows")).withMaxBatchRows(10));
        CountDownLatch release = blockWriter();
        long commitsBefore = sqlite().commits();
        List<CompletableFuture<Appended>> appends = new ArrayList<>();
        for (int i = 0; i < 10; i++) { // recipients of their own: no append extends another's inbox run
            appends.add(storage.messages().append(TestMessages.of("a", "a", null, null, "x", i,
                    List.of("b" + i, "c" + i))).toCompletableFuture());
        }
        release.countDown();
        CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        // each append writes 3 rows: commits after appends 4 and 8, then the last 2; plus the blocker
        assertThat(sqlite().commits() - commitsBefore).isEqualTo(4);
    }

    // ---- inbox rows as runs

    @Test
    void oneTransactionsMessagesToAGroupAreOneInboxRowPerMemberWhereTheirIdsFollowOn() throws Exception {
        List<String> members = List.of("m1", "m2", "m3");
        CountDownLatch release = blockWriter();
        List<CompletableFuture<Appended>> appends = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            appends.add(storage.messages().append(TestMessages.of("m1", "m1", null, "g", "g" + i, i, members))
                    .toCompletableFuture());
            if (i == 1) { // between the second and the third: m2's entries still follow on, m1's and m3's do not
                appends.add(storage.messages().append(TestMessages.of("m1", "m1", null, null, "d", i,
                        List.of("m2"))).toCompletableFuture());
            }
        }
        release.countDown();
        CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(rowsOf("m1")).containsExactly(List.of(1L, 2L), List.of(3L, 3L));
        assertThat(rowsOf("m2")).as("one run of six").containsExactly(List.of(1L, 6L));
        assertThat(rowsOf("m3")).containsExactly(List.of(1L, 2L), List.of(3L, 3L));
        List<String> m2Texts = List.of("g0", "g1", "d", "g2", "g3", "g4");
        for (int after = 0; after <= 6; after++) { // every start inside or between the runs
            assertThat(await(storage.messages().inboxAfter("m2", after, 10)))
                    .extracting(InboxEntry::seq, e -> e.message().text())
                    .containsExactlyElementsOf(tuples(after + 1, m2Texts.subList(after, 6)));
            assertThat(await(storage.messages().inboxAfter("m1", after, 2))).extracting(InboxEntry::seq)
                    .containsExactlyElementsOf(range(after + 1, Math.min(after + 2, 5)));
        }
        assertThat(appends.get(3).get().seqByRecipient()).containsOnly(Map.entry("m1", 3L), Map.entry("m2", 4L),
                Map.entry("m3", 3L));
        assertThat(await(storage.messages().lastSeq("m2"))).isEqualTo(6);

        restart(); // the seqs continue from the runs on disk
        Appended next = append(null, "m1", "m2");
        assertThat(next.seqByRecipient()).containsOnly(Map.entry("m1", 6L), Map.entry("m2", 7L));
    }

    @Test
    void anInboxReadInTheSameTransactionSeesTheEntriesAppendedBeforeIt() throws Exception {
        CountDownLatch release = blockWriter();
        List<CompletableFuture<Appended>> appends = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            appends.add(storage.messages().append(TestMessages.of("a", "a", null, "g", "x" + i, i,
                    List.of("bob", "carol"))).toCompletableFuture());
        }
        CompletableFuture<List<InboxEntry>> midway = storage.messages().inboxAfter("bob", 1, 10)
                .toCompletableFuture();
        CompletableFuture<Long> last = storage.messages().lastSeq("carol").toCompletableFuture();
        for (int i = 3; i < 5; i++) {
            appends.add(storage.messages().append(TestMessages.of("a", "a", null, "g", "x" + i, i,
                    List.of("bob", "carol"))).toCompletableFuture());
        }
        long commitsBefore = sqlite().commits();
        release.countDown();
        CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(sqlite().commits() - commitsBefore).as("the blocker, then one transaction").isLessThanOrEqualTo(2);
        assertThat(midway.get(30, TimeUnit.SECONDS)).extracting(InboxEntry::seq).containsExactly(2L, 3L);
        assertThat(last.get(30, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(rowsOf("bob")).as("the read wrote out the first run").containsExactly(List.of(1L, 3L),
                List.of(4L, 2L));
        assertThat(await(storage.messages().inboxAfter("bob", 0, 10))).extracting(InboxEntry::seq)
                .containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aFailedTransactionLeavesNoRunBehindAndItsOperationsAreRetriedAlone() throws Exception {
        CountDownLatch release = blockWriter();
        CompletableFuture<Appended> first = storage.messages().append(TestMessages.of("a", "a", null, "g", "x", 1,
                List.of("bob", "carol"))).toCompletableFuture();
        CompletableFuture<Object> broken = sqlite().writer().submit(db -> {
            db.prepare("INSERT INTO no_such_table VALUES (1)").executeUpdate();
            return null;
        });
        CompletableFuture<Appended> second = storage.messages().append(TestMessages.of("a", "a", null, "g", "y", 2,
                List.of("bob", "carol"))).toCompletableFuture();
        release.countDown();

        assertThat(failure(broken)).isInstanceOf(StoreException.class);
        assertThat(first.get(30, TimeUnit.SECONDS).seqByRecipient()).containsEntry("bob", 1L);
        assertThat(second.get(30, TimeUnit.SECONDS).seqByRecipient()).containsEntry("bob", 2L);
        assertThat(rowsOf("bob")).as("retried alone: one row each").containsExactly(List.of(1L, 1L),
                List.of(2L, 1L));
        assertThat(await(storage.messages().inboxAfter("carol", 0, 10))).extracting(e -> e.message().text())
                .containsExactly("x", "y");
    }

    // ---- group lookups

    @Test
    void aGroupLookupIsAnsweredFromCommittedStateWithoutWaitingForTheWriter() throws Exception {
        Group group = await(storage.groups().create("alice", List.of("bob")));
        assertThat(await(storage.groups().find(group.groupId()))).contains(group); // the writer's lookup keeps it
        CountDownLatch release = blockWriter();
        try {
            CompletableFuture<Optional<Group>> found = storage.groups().find(group.groupId()).toCompletableFuture();
            assertThat(found).as("answered while the writer is busy").isCompletedWithValue(Optional.of(group));
        } finally {
            release.countDown();
        }
    }

    @Test
    void aGroupLookupWaitsForAChangeQueuedBeforeIt() throws Exception {
        Group group = await(storage.groups().create("alice", List.of("bob")));
        await(storage.groups().find(group.groupId()));
        CountDownLatch release = blockWriter();
        CompletableFuture<Membership> join = storage.groups().join(group.groupId(), "carol", 100)
                .toCompletableFuture();
        CompletableFuture<Optional<Group>> found = storage.groups().find(group.groupId()).toCompletableFuture();
        assertThat(found).as("a change is in flight: the lookup goes through the writer").isNotDone();
        release.countDown();

        assertThat(await(join).outcome()).isEqualTo(Membership.Outcome.JOINED);
        assertThat(await(found).orElseThrow().memberIds()).containsExactly("alice", "bob", "carol");
        assertThat(await(storage.groups().find(group.groupId())).orElseThrow().memberIds()).contains("carol");
        await(storage.groups().quit(group.groupId(), "bob"));
        assertThat(await(storage.groups().find(group.groupId())).orElseThrow().memberIds())
                .as("after a change, never the state before it").containsExactly("alice", "carol");
    }

    // ---- acknowledgements

    @Test
    void acksQueuedTogetherAreOneWriterOperationThatKeepsEachUsersHighestCappedAtTheLastSeq() throws Exception {
        for (int i = 0; i < 5; i++) {
            append(null, "bob", "carol");
        }
        CountDownLatch release = blockWriter();
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int seq = 1; seq <= 4; seq++) {
            acks.add(storage.messages().acknowledge("bob", seq).toCompletableFuture());
        }
        acks.add(storage.messages().acknowledge("bob", 2).toCompletableFuture()); // never backwards
        acks.add(storage.messages().acknowledge("carol", 99).toCompletableFuture()); // capped at 5
        acks.add(storage.messages().acknowledge("dave", 3).toCompletableFuture()); // nothing assigned: no row

        assertThat(sqlite().writer().queued()).as("one operation for all seven").isEqualTo(1);
        release.countDown();
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(await(storage.messages().acknowledgedSeq("bob"))).isEqualTo(4);
        assertThat(await(storage.messages().acknowledgedSeq("carol"))).isEqualTo(5);
        assertThat(await(storage.messages().acknowledgedSeq("dave"))).isZero();
        await(storage.messages().acknowledge("bob", 1)); // a later batch: still never backwards
        restart();
        assertThat(await(storage.messages().acknowledgedSeq("bob"))).isEqualTo(4);
        assertThat(await(storage.messages().acknowledgedSeq("carol"))).isEqualTo(5);
    }

    @Test
    void anAckRejectedByAFullQueueIsNotRecordedAndTheNextOneIs() throws Exception {
        sqlite().stop();
        storage = start(settings().withDataDir(dir.resolve("small")).withQueueCapacity(2));
        append(null, "bob");
        append(null, "bob");
        CountDownLatch release = blockWriter();
        CompletableFuture<Appended> first = storage.messages()
                .append(TestMessages.of("a", "a", null, null, "x", 1, List.of("carol"))).toCompletableFuture();
        CompletableFuture<Appended> second = storage.messages()
                .append(TestMessages.of("a", "a", null, null, "x", 2, List.of("carol"))).toCompletableFuture();

        CompletableFuture<Void> rejected = storage.messages().acknowledge("bob", 1).toCompletableFuture();

        assertThat(failure(rejected)).isInstanceOf(StoreOverloadedException.class);
        release.countDown();
        await(first);
        await(second);
        assertThat(await(storage.messages().acknowledgedSeq("bob"))).isZero();
        await(storage.messages().acknowledge("bob", 2));
        assertThat(await(storage.messages().acknowledgedSeq("bob"))).isEqualTo(2);
    }

    /** The user's inbox rows as [seq, run], in seq order, read beside the store. */
    private List<List<Long>> rowsOf(String user) throws SQLException {
        List<List<Long>> rows = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteSettings.DATABASE_FILE));
             var select = db.prepareStatement("SELECT seq, run FROM inbox WHERE user_id = ? ORDER BY seq")) {
            select.setString(1, user);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(List.of(row.getLong(1), row.getLong(2)));
                }
            }
        }
        return rows;
    }

    private static List<org.assertj.core.groups.Tuple> tuples(long firstSeq, List<String> texts) {
        List<org.assertj.core.groups.Tuple> tuples = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            tuples.add(org.assertj.core.groups.Tuple.tuple(firstSeq + i, texts.get(i)));
        }
        return tuples;
    }

    @Test
    void aFullQueueRejectsAtOnceWithStoreOverloaded() throws Exception {
        sqlite().stop();
        storage = start(settings().withDataDir(dir.resolve("small")).withQueueCapacity(4));
        CountDownLatch release = blockWriter();
        List<CompletableFuture<Appended>> accepted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            accepted.add(storage.messages().append(TestMessages.of("a", "a", null, null, "x", i, List.of("b")))
                    .toCompletableFuture());
        }

        CompletableFuture<Appended> rejected = storage.messages()
                .append(TestMessages.of("a", "a", null, null, "x", 5, List.of("b"))).toCompletableFuture();

        assertThat(rejected).isCompletedExceptionally();
        assertThat(failure(rejected)).isInstanceOf(StoreOverloadedException.class).hasMessageContaining("4");
        release.countDown();
        assertThat(accepted).allSatisfy(f -> assertThat(await(f).duplicate()).isFalse());
        assertThat(seqs(await(storage.messages().inboxAfter("b", 0, 10)))).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aFailingOperationFailsAloneAndItsBatchStillCommits() throws Exception {
        CountDownLatch release = blockWriter();
        CompletableFuture<Appended> before = storage.messages()
                .append(TestMessages.of("a", "a", null, null, "one", 1, List.of("bob"))).toCompletableFuture();
        CompletableFuture<Object> broken = sqlite().writer().submit(db -> {
            db.prepare("INSERT INTO inbox (user_id, seq, message_id) VALUES ('bob', 99, 12345)").executeUpdate();
            return null; // never reached: no message 12345, the foreign key fails
        });
        CompletableFuture<Appended> after = storage.messages()
                .append(TestMessages.of("a", "a", null, null, "two", 2, List.of("bob"))).toCompletableFuture();
        release.countDown();

        assertThat(failure(broken)).isInstanceOf(StoreException.class).hasCauseInstanceOf(SQLException.class);
        assertThat(await(before).seqByRecipient()).containsEntry("bob", 1L);
        assertThat(await(after).seqByRecipient()).containsEntry("bob", 2L);
        assertThat(await(storage.messages().inboxAfter("bob", 0, 10))).extracting(e -> e.message().text())
                .containsExactly("one", "two");
    }

    @Test
    void stopCommitsWhatIsQueuedAndLaterOperationsFail() throws Exception {
        CountDownLatch release = blockWriter();
        List<CompletableFuture<Appended>> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            queued.add(storage.messages().append(TestMessages.of("a", "a", null, null, "x", i, List.of("bob")))
                    .toCompletableFuture());
        }
        Thread stopper = new Thread(sqlite()::stop);
        stopper.start();
        // stop() shuts the readers first and waits for a marker through the writer's queue, behind the appends:
        // once the readers refuse work, the stop is under way and cannot end while the writer is held.
        while (sqlite().readers().isRunning()) {
            Thread.onSpinWait();
        }
        assertThat(stopper.isAlive()).as("stop waits for what was queued before it").isTrue();
        release.countDown();
        stopper.join(30_000);

        assertThat(stopper.isAlive()).isFalse();
        assertThat(queued).allSatisfy(f -> assertThat(f).isCompleted());
        assertThat(failure(storage.messages().inboxAfter("bob", 0, 10)))
                .isInstanceOf(StoreException.class).hasMessageContaining("not running");
        storage = start(settings());
        assertThat(seqs(await(storage.messages().inboxAfter("bob", 0, 100)))).containsExactlyElementsOf(range(1, 10));
    }

    // ---- life cycle

    @Test
    void theConstructorTouchesNothingAndOperationsBeforeStartFail() {
        Path notYet = dir.resolve("not-yet");
        SqliteStorage unstarted = new SqliteStorage(settings().withDataDir(notYet));

        assertThat(notYet).doesNotExist();
        assertThat(failure(unstarted.users().findByName("alice")))
                .isInstanceOf(StoreException.class).hasMessageContaining("not running");
        unstarted.stop(); // harmless
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefused() {
        SqliteStorage second = new SqliteStorage(settings(), clock::get);

        assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
        assertThat(await(storage.users().findByName("alice"))).isEmpty(); // the first one is unaffected
    }

    // ---- helpers

    /** Occupies the writer thread until the returned latch is released; returns once the writer is blocked. */
    private CountDownLatch blockWriter() throws InterruptedException {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        sqlite().writer().submit(db -> {
            blocked.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    private static List<String> tables(Connection db) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet rows = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }
}
