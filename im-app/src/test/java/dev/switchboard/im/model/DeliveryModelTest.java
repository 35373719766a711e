package dev.switchboard.im.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery model test: seeded random operations against the real server on every store, checked against the
 * reference model (see {@link Checker} for the properties).
 *
 * <ul>
 *   <li>{@code mvn -B verify} runs the fixed seeds of {@link #SEEDS}, each of which found a bug.</li>
 *   <li>{@code -Dmodel.seed=N} replays one seed (or {@code N,M,...} several) on every store, or only on
 *       {@code -Dmodel.store=memory|sqlite|sqlite-child|cluster|cluster-child}.</li>
 *   <li>{@code -Dmodel.minutes=N} runs random seeds, cycling through the stores (or only {@code -Dmodel.store}),
 *       for N minutes (fractions allowed), then fails listing every failing seed with its replay flags.</li>
 *   <li>{@code -Dmodel.ops=N} changes the number of operations per run (default {@value ModelRun#DEFAULT_OPS}).</li>
 *   <li>{@code -Dmodel.childOutput=true} prints what child servers print, on stderr, prefixed {@code [child]}.</li>
 * </ul>
 */
class DeliveryModelTest {

    /** A seed of the default set, with what it found. */
    record Seed(StoreKind store, long seed, String found) {}

    /*
     * The default set: every seed here found a bug when it was added, and stays as a regression case. The bugs:
     *
     * (1) pipelined sends reordered on SQLite: MessageHandlers.send resolved the recipient (a group lookup, or an
     *     account not yet cached) asynchronously before appending, so a later frame's message could take an
     *     earlier seq ([sender-order]);
     * (2) deliveries of a login written after its LogoutResponse, or after the LoginResponse of the next login on
     *     the same connection, and (v1) counted as delivered there, so the account never got them again
     *     ([after-logout], [wrong-login], [repeat], [missing], [seq], [content]);
     * (3) on SQLite, a LoginResponse overtaking the LogoutResponse of a logout pipelined before it: replies of a
     *     connection wait behind earlier pending replies, but the login writes its response itself
     *     ([reply-order]).
     *
     * (4) a bug of this test, not of the server: a login whose first entries after its lastSeq were an acknowledged
 *     prefix followed by a group event (GroupChanged, which the checker keeps apart from deliveries) was reported
 *     as skipping seqs ([seq]); the checker now accounts for each skipped seq separately.
 *
 * (5) not yet understood, perhaps in the server: on the memory store a v2 login that stayed logged in never
 *     received the last seq of its account (a direct message to itself, sent on that very socket), though another
 *     device of the account did, and it received the seq before it late, after the HeartBeatResponse of the write
 *     ([behind]); the other seq was a group message from the account's other device. Seen once, at 99f2f09 with
 *     edits and recalls added to the model; three replays passed.
 *
 * (6) found on the cluster (three nodes, then on one memory store): a node told of a seq that another device of
 *     the account had already acknowledged, so the memory store had pruned it, read an empty page, still owed the
 *     seq, and read again, forever, on the event loop; behind it the device missed the entry ([behind]). The
 *     delivery service now forgets what an empty page shows to be gone; the cluster runs on SQLite, which keeps
 *     acknowledged entries, as PostgreSQL does.
 * (7) found on the cluster (on SQLite): reads of SQLite's read path (beside the writer) completed in any order, so
 *     of two pipelined mark-reads (each a membership read, then a write) the second's write could go first, and the
 *     answers' read positions went backwards ([read-backwards]). Reads now complete in submission order.
 *
 * (8) found on the cluster of child JVMs with node kills: a node restarted after a SIGKILL took the entries of its
 *     previous life (same node id, older epoch, not yet found dead) for another node's, and sent requests to it on
 *     the node's channel, which is its own: a re-login with the token its own connection had been issued made it
 *     ask "that node" to close the connection the token was issued to, and it closed its own live connection
 *     ([closed]). An earlier life of a node is now never another node.
 *
 *     At ec49acb the same seed found (9) on the first steps, before any kill: the framework's dispatcher asked a
 *     handler's stage isDone() when it was a CompletableFuture, and the PostgreSQL store's joined account lookups
 *     answer with minimalCompletionStage(), whose isDone() throws; the connection was closed as after an unexpected
 *     exception ([closed]). Only an exact CompletableFuture takes the already-complete shortcut now.
 *
 * (1) and (2) were found at eefa765; (3) on main at 0b889b3, where (1) and (2) are fixed; (4) at f4f6edb; (6) and
 * (7) in the session that added the cluster and the read path.
     */
    static final List<Seed> SEEDS = List.of(
            new Seed(StoreKind.MEMORY, 1, "(2): deliveries after LogoutResponse and in the next login"),
            new Seed(StoreKind.MEMORY, 2, "(2): deliveries after LogoutResponse and in the next login"),
            new Seed(StoreKind.MEMORY, 3, "(2), and v1 deliveries after logout lost to the account"),
            new Seed(StoreKind.MEMORY, 4, "(2), and v1 deliveries after logout lost to the account"),
            new Seed(StoreKind.MEMORY, 5, "(2): another login's seqs inside a login"),
            new Seed(StoreKind.MEMORY, 6, "(2): deliveries after LogoutResponse and in the next login"),
            new Seed(StoreKind.SQLITE, 1, "(1) and (2); on main (3)"),
            new Seed(StoreKind.SQLITE, 2, "(1) and (2); on main (3)"),
            new Seed(StoreKind.SQLITE, 3, "(1) and (2); on main (3)"),
            new Seed(StoreKind.SQLITE, 4, "(1) and (2); on main (3)"),
            new Seed(StoreKind.SQLITE, 5, "(1) and (2); on main (3)"),
            new Seed(StoreKind.SQLITE_CHILD, 1, "(1) and (2) across SIGKILL and SIGTERM restarts; on main (3)"),
            new Seed(StoreKind.SQLITE_CHILD, 2, "(1), (2) and v1 deliveries after logout lost; on main (3)"),
            new Seed(StoreKind.MEMORY, 7360532413322166273L, "(4): acknowledged seqs, then a group event, then a message"),
            new Seed(StoreKind.MEMORY, 7278121791663193609L, "(4), found once in a while: it depends on ack timing"),
            new Seed(StoreKind.MEMORY, 4919439056392417339L, "(5), found once: a live delivery never written"),
            new Seed(StoreKind.CLUSTER, 479776332656896589L,
                    "(6): on the memory store a device read forever an empty page for an entry another device's ack"
                    + " had pruned; the cluster's Redis races"),
            new Seed(StoreKind.CLUSTER, 4927359594104333457L,
                    "(7): reads of SQLite's read path completing out of order reordered two mark-reads' writes"),
            new Seed(StoreKind.CLUSTER_CHILD, 3743020631661627435L,
                    "(8): a node restarted after a SIGKILL sent a close request to its own previous life, on its own"
                    + " channel, and closed its own connection; (9) the dispatcher calling isDone() on a minimal stage"));

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> runs() {
        String seed = System.getProperty("model.seed");
        String minutes = System.getProperty("model.minutes");
        List<StoreKind> stores = stores();
        if (seed != null) {
            return stores.stream().flatMap(store -> Stream.of(seed.split(","))
                    .map(one -> run(store, Long.parseLong(one.strip()), "replay")));
        }
        if (minutes != null) {
            Duration budget = Duration.ofSeconds(Math.round(Double.parseDouble(minutes.strip()) * 60));
            return Stream.of(DynamicTest.dynamicTest("random seeds for " + budget, () -> explore(stores, budget)));
        }
        return SEEDS.stream().map(run -> run(run.store(), run.seed(), run.found()));
    }

    private DynamicTest run(StoreKind store, long seed, String why) {
        return DynamicTest.dynamicTest(store + " seed " + seed + " (" + why + ")",
                () -> ModelRun.run(seed, store, Files.createTempDirectory(temp, store + "-" + seed + "-")));
    }

    /** Random seeds until the time is up; every failing seed is listed at the end, with its kinds of violation. */
    private void explore(List<StoreKind> stores, Duration budget) throws Exception {
        long deadline = System.nanoTime() + budget.toNanos();
        Random seeds = new Random();
        List<String> failures = new ArrayList<>();
        int runs = 0;
        for (; System.nanoTime() < deadline; runs++) {
            StoreKind store = stores.get(runs % stores.size());
            long seed = seeds.nextLong() & Long.MAX_VALUE;
            Path dir = Files.createTempDirectory(temp, store + "-" + seed + "-");
            try {
                ModelRun.run(seed, store, dir);
            } catch (AssertionError failed) {
                failures.add(summary(failed.getMessage()));
            }
            deleteRecursively(dir); // a long exploration would otherwise fill the disk
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of " + runs + " runs failed (reports in "
                    + "target/model-failures/):\n" + String.join("\n", failures));
        }
        System.out.println("model: " + runs + " runs passed");
    }

    /** The report's first lines: what failed, how to replay, and the count of each kind of violation. */
    private static String summary(String report) {
        StringBuilder summary = new StringBuilder();
        for (String line : report.split("\n", -1)) {
            if (line.startsWith("model run failed") || line.startsWith("replay:") || line.startsWith(" [")) {
                summary.append(line).append('\n');
            }
        }
        return summary.toString();
    }

    private static List<StoreKind> stores() {
        String store = System.getProperty("model.store");
        return store == null || store.isBlank() ? List.of(StoreKind.values()) : List.of(StoreKind.of(store.strip()));
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            java.util.Collections.reverse(all);
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        }
    }
}
