package dev.switchboard.im.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.im.store.EntryKind;
import dev.switchboard.im.store.NewMessage;
import dev.switchboard.im.store.Storage;
import dev.switchboard.im.store.StorageContractTest;
import dev.switchboard.im.store.StoreException;
import dev.switchboard.im.store.StoreOverloadedException;
import dev.switchboard.im.store.UserAccount;
import dev.switchboard.im.store.postgres.PostgresSchema.Migration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The storage contract against a real PostgreSQL, a fresh schema per test; then what is particular to this store:
 * migrations, the bounded queue, the life cycle.
 */
class PostgresStorageTest extends StorageContractTest {

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
        return start(postgres.freshSettings());
    }

    private PostgresStorage start(PostgresSettings settings) throws Exception {
        PostgresStorage storage = new PostgresStorage(settings);
        opened.add(storage);
        storage.start();
        return storage;
    }

    @Override
    protected void close(Storage storage) {
        opened.forEach(PostgresStorage::stop);
    }

    private PostgresStorage postgresStorage() {
        return (PostgresStorage) storage;
    }

    private static Connection connect(PostgresSettings settings) throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl());
    }

    // ---- migrations

    @Test
    void startMigratesAFreshDatabaseAndRecordsEachStep() throws Exception {
        try (Connection connection = connect(postgresStorage().settings());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version, description FROM schema_version")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(1);
            assertThat(rows.getString(2)).isEqualTo("initial schema");
            assertThat(rows.next()).as("one row per step").isFalse();
            assertThat(PostgresSchema.version(connection)).isEqualTo(PostgresSchema.latestVersion());
        }
    }

    // ---- direct peers

    @Test
    void aNodeInsertsADirectConversationsPeersOnceAndEveryOtherNodeStillRecordsThem() throws Exception {
        PostgresStorage first = postgresStorage();
        await(first.messages().append(NewMessage.direct("alice", "Alice", "a1", "bob", "hi", 1)));
        assertThat(peerRows(first.settings())).isEqualTo(2);

        // Behind the store's back (the store never deletes these rows): the node that stored the pair does not
        // insert it again, which is the round trip per message it saves.
        deletePeerRows(first.settings());
        await(first.messages().append(NewMessage.direct("alice", "Alice", "a2", "bob", "again", 2)));
        await(first.messages().append(NewMessage.direct("bob", "Bob", "b1", "alice", "back", 3)));
        assertThat(peerRows(first.settings())).isZero();

        // A node that has not stored the pair yet inserts it; a duplicate send records nothing new either way.
        PostgresStorage second = start(first.settings());
        await(second.messages().append(NewMessage.direct("bob", "Bob", "b2", "alice", "from two", 4)));
        await(second.messages().append(NewMessage.direct("bob", "Bob", "b2", "alice", "from two", 4)));
        assertThat(peerRows(first.settings())).isEqualTo(2);
        assertThat(await(first.messages().directPeers("alice", 10))).containsExactly("bob");
        assertThat(await(second.messages().directPeers("bob", 10))).containsExactly("alice");
    }

    private static int peerRows(PostgresSettings settings) throws SQLException {
        try (Connection connection = connect(settings);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM direct_peers")) {
            row.next();
            return row.getInt(1);
        }
    }

    private static void deletePeerRows(PostgresSettings settings) throws SQLException {
        try (Connection connection = connect(settings); Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM direct_peers");
        }
    }

    @Test
    void aSecondNodeStartingOnAMigratedDatabaseChangesNothingAndSharesItsData() throws Exception {
        await(storage.users().register("alice", PASSWORD));
        PostgresStorage second = start(postgresStorage().settings());
        assertThat(await(second.users().findByName("alice"))).isPresent();
        try (Connection connection = connect(second.settings())) {
            assertThat(PostgresSchema.version(connection)).isEqualTo(PostgresSchema.latestVersion());
        }
    }

    @Test
    void nodesStartingTogetherOnAFreshDatabaseMigrateItOnce() throws Exception {
        PostgresSettings settings = postgres.freshSettings();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<PostgresStorage>> starts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            starts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    return start(settings);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        go.countDown();
        for (CompletableFuture<PostgresStorage> start : starts) {
            assertThat(start.get(30, TimeUnit.SECONDS).writer().state()).isEqualTo(PostgresWriter.State.RUNNING);
        }
        try (Connection connection = connect(settings);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM schema_version")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getInt(1)).isEqualTo(PostgresSchema.latestVersion());
        }
    }

    @Test
    void aFailingStepIsRolledBackWholeAndTheVersionStays() throws Exception {
        Migration broken = new Migration(2, "broken", List.of(
                "CREATE TABLE half_done (x INTEGER)",
                "SELECT no_such_column FROM users"));
        try (Connection connection = connect(postgresStorage().settings())) {
            assertThatThrownBy(() -> PostgresSchema.migrate(connection, "test",
                    List.of(PostgresSchema.MIGRATIONS.get(0), broken)))
                    .isInstanceOf(SQLException.class).hasMessageContaining("version 2 (broken)");
            assertThat(PostgresSchema.version(connection)).isEqualTo(1);
            try (Statement statement = connection.createStatement();
                 ResultSet table = statement.executeQuery("SELECT to_regclass('half_done') IS NULL")) {
                assertThat(table.next()).isTrue();
                assertThat(table.getBoolean(1)).as("the step's table is gone with it").isTrue();
            }
            assertThat(PostgresSchema.migrate(connection, "test", List.of(PostgresSchema.MIGRATIONS.get(0),
                    new Migration(2, "fixed", List.of("CREATE TABLE half_done (x INTEGER)"))))).isEqualTo(2);
            assertThat(PostgresSchema.version(connection)).isEqualTo(2);
        }
    }

    @Test
    void aDatabaseOfANewerBuildIsRefused() throws Exception {
        PostgresSettings settings = postgresStorage().settings();
        try (Connection connection = connect(settings); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO schema_version (version, description) VALUES (99, 'from the future')");
        }
        PostgresStorage newer = new PostgresStorage(settings);
        assertThatThrownBy(newer::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schema version 99")
                .hasMessageContaining("up to " + PostgresSchema.latestVersion());
        assertThat(failure(newer.ping())).isInstanceOf(StoreException.class);
        newer.stop();
    }

    // ---- queue and life cycle

    @Test
    void aFullQueueRejectsAtOnceAndTheStoreGoesOn() throws Exception {
        PostgresStorage small = start(postgres.freshSettings().withQueueCapacity(3));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Object> blocker = small.writer().submit(tx -> {
            running.countDown();
            try {
                release.await(30, TimeUnit.SECONDS); // holds the writer, so that the queue fills
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }).exceptionally(e -> e);
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(small.users().setPresenceHidden("u" + i, true).toCompletableFuture());
        }
        Throwable overloaded = failure(small.users().presenceHidden("u0"));
        assertThat(overloaded).isInstanceOf(StoreOverloadedException.class);
        assertThat(((StoreOverloadedException) overloaded).capacity()).isEqualTo(3);

        release.countDown();
        blocker.get(30, TimeUnit.SECONDS);
        CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(await(small.users().presenceHidden("u2"))).isTrue();
    }

    @Test
    void operationsBeforeStartAndAfterStopFail() throws Exception {
        PostgresStorage notStarted = new PostgresStorage(postgres.freshSettings());
        assertThat(failure(notStarted.ping())).isInstanceOf(StoreException.class).hasMessageContaining("not running");
        notStarted.stop();

        postgresStorage().stop();
        assertThat(failure(storage.users().findByName("alice"))).isInstanceOf(StoreException.class);
    }

    @Test
    void groupCommitPutsQueuedOperationsInOneTransaction() {
        long before = postgresStorage().commits();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(storage.users().setPresenceHidden("u" + i, true).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        assertThat(postgresStorage().commits() - before).isLessThan(200);
    }

    @Test
    void acksQueuedTogetherAreOneOperationThatKeepsEachUsersHighestCappedAtTheLastSeq() throws Exception {
        PostgresStorage pg = postgresStorage();
        for (int i = 0; i < 5; i++) {
            await(pg.messages().append(new NewMessage(EntryKind.MESSAGE, "alice", "Alice",
                    null, "g", null, "m" + i, i, 0, List.of("bob", "carol"))));
        }
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Object> blocker = pg.writer().submit(tx -> {
            running.countDown();
            try {
                release.await(30, TimeUnit.SECONDS); // holds the writer, so that the acks queue up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int seq = 1; seq <= 4; seq++) {
            acks.add(pg.messages().acknowledge("bob", seq).toCompletableFuture());
        }
        acks.add(pg.messages().acknowledge("bob", 2).toCompletableFuture()); // never backwards
        acks.add(pg.messages().acknowledge("carol", 99).toCompletableFuture()); // capped at 5
        acks.add(pg.messages().acknowledge("dave", 3).toCompletableFuture()); // nothing assigned: no row

        assertThat(pg.writer().queued()).as("one operation for all seven").isEqualTo(1);
        release.countDown();
        blocker.get(30, TimeUnit.SECONDS);
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(await(pg.messages().acknowledgedSeq("bob"))).isEqualTo(4);
        assertThat(await(pg.messages().acknowledgedSeq("carol"))).isEqualTo(5);
        assertThat(await(pg.messages().acknowledgedSeq("dave"))).isZero();
        await(pg.messages().acknowledge("bob", 1)); // a later batch: still never backwards
        assertThat(await(pg.messages().acknowledgedSeq("bob"))).isEqualTo(4);
    }

    @Test
    void lookupsQueuedTogetherAreOneOperationAndEachGetsItsOwnAnswerInQueueOrder() throws Exception {
        PostgresStorage pg = postgresStorage();
        UserAccount alice = await(pg.users().register("alice", PASSWORD));
        UserAccount bob = await(pg.users().register("bob", PASSWORD));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Object> blocker = pg.writer().submit(tx -> {
            running.countDown();
            try {
                release.await(30, TimeUnit.SECONDS); // holds the writer, so that the lookups queue up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Optional<UserAccount>> aliceByName = pg.users().findByName("alice").toCompletableFuture();
        CompletableFuture<Optional<UserAccount>> aliceAgain = pg.users().findByName("alice").toCompletableFuture();
        CompletableFuture<Optional<UserAccount>> nobody = pg.users().findByName("nobody").toCompletableFuture();
        CompletableFuture<Optional<UserAccount>> bobByName = pg.users().findByName("bob").toCompletableFuture();
        assertThat(pg.writer().queued()).as("one operation for four lookups by name").isEqualTo(1);

        CompletableFuture<Optional<UserAccount>> carolBefore = pg.users().findByName("carol").toCompletableFuture();
        assertThat(pg.writer().queued()).as("joins the same operation").isEqualTo(1);
        CompletableFuture<UserAccount> carol = pg.users().register("carol", PASSWORD).toCompletableFuture();
        CompletableFuture<Optional<UserAccount>> carolAfter = pg.users().findByName("carol").toCompletableFuture();
        CompletableFuture<Optional<UserAccount>> bobById = pg.users().findById(bob.userId()).toCompletableFuture();
        CompletableFuture<Optional<UserAccount>> unknownId = pg.users().findById("no-such-id").toCompletableFuture();
        assertThat(pg.writer().queued())
                .as("a register between lookups is not jumped: the lookup after it is a new operation; "
                        + "a lookup by id does not join one by name, the next by id joins it")
                .isEqualTo(4);

        release.countDown();
        blocker.get(30, TimeUnit.SECONDS);
        assertThat(aliceByName.get(30, TimeUnit.SECONDS)).contains(alice);
        assertThat(aliceAgain.get(30, TimeUnit.SECONDS)).contains(alice);
        assertThat(nobody.get(30, TimeUnit.SECONDS)).isEmpty();
        assertThat(bobByName.get(30, TimeUnit.SECONDS)).contains(bob);
        assertThat(carolBefore.get(30, TimeUnit.SECONDS)).as("queued before the register").isEmpty();
        assertThat(carolAfter.get(30, TimeUnit.SECONDS)).contains(carol.get(30, TimeUnit.SECONDS));
        assertThat(bobById.get(30, TimeUnit.SECONDS)).contains(bob);
        assertThat(unknownId.get(30, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void lookupsPastTheLimitOfOneStatementQueueTheNextOneAndAllAreAnswered() throws Exception {
        PostgresStorage pg = postgresStorage();
        UserAccount alice = await(pg.users().register("alice", PASSWORD));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Object> blocker = pg.writer().submit(tx -> {
            running.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Optional<UserAccount>>> lookups = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            lookups.add(pg.users().findByName(i % 100 == 0 ? "alice" : "user" + i).toCompletableFuture());
        }
        assertThat(pg.writer().queued()).as("1,000 distinct keys per statement").isEqualTo(2);
        release.countDown();
        blocker.get(30, TimeUnit.SECONDS);
        for (int i = 0; i < lookups.size(); i++) {
            Optional<UserAccount> found = lookups.get(i).get(30, TimeUnit.SECONDS);
            if (i % 100 == 0) {
                assertThat(found).contains(alice);
            } else {
                assertThat(found).isEmpty();
            }
        }
    }

    @Test
    void settingsNeverPrintThePassword() {
        PostgresSettings settings = PostgresSettings.of("jdbc:postgresql://db/x?password=hunter2")
                .withCredentials("app", "s3cret");
        assertThat(settings.toString()).doesNotContain("hunter2").doesNotContain("s3cret")
                .contains("jdbc:postgresql://db/x");
        assertThatThrownBy(() -> PostgresSettings.of("jdbc:mysql://db/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresSettings.of("jdbc:postgresql://db/x").withPoolSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poolSize");
    }
}
