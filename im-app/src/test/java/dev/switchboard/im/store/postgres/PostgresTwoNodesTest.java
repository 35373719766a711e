package dev.switchboard.im.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.store.Appended;
import dev.switchboard.im.store.InboxEntry;
import dev.switchboard.im.store.MessageStore;
import dev.switchboard.im.store.NewMessage;
import dev.switchboard.im.store.TestMessages;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two {@link PostgresStorage} instances on one database, as two cluster nodes, racing appends to the same
 * recipients: each inbox's seqs stay 1..n without gaps or repeats, seq order is message id order, and a message
 * both nodes are given with one clientMsgId is stored once, both answering with the original.
 */
class PostgresTwoNodesTest {

    private static final long SEED = Long.getLong("switchboard.test.seed", 20261203L);
    private static final int MESSAGES = 600;
    private static final List<String> USERS = List.of("ann", "ben", "cat", "dan", "eve", "fay");

    private static TestPostgres postgres;
    private final List<PostgresStorage> nodes = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        postgres = TestPostgres.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        postgres.close();
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(PostgresStorage::stop);
    }

    private PostgresStorage node(PostgresSettings settings) throws Exception {
        PostgresStorage node = new PostgresStorage(settings);
        nodes.add(node);
        node.start();
        return node;
    }

    /** What one node is asked to append, and in which order. */
    private record Planned(int index, NewMessage message, boolean onA, boolean onB) {
    }

    @Test
    void racingNodesKeepSeqsContiguousAndStoreADuplicateOnce() throws Exception {
        PostgresSettings settings = postgres.freshSettings();
        // Small batches, so that the two nodes' transactions interleave many times.
        PostgresStorage a = node(settings.withMaxBatchOps(8));
        PostgresStorage b = node(settings.withMaxBatchOps(8));
        Random random = new Random(SEED);
        List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            String sender = USERS.get(random.nextInt(USERS.size()));
            List<String> recipients = new ArrayList<>();
            for (String user : USERS) {
                if (random.nextInt(3) == 0) {
                    recipients.add(user);
                }
            }
            if (recipients.isEmpty()) {
                recipients.add(USERS.get(random.nextInt(USERS.size())));
            }
            int where = random.nextInt(5); // 0, 1: A; 2, 3: B; 4: both, with one clientMsgId
            String clientMsgId = where == 4 || random.nextBoolean() ? "c" + i : null;
            NewMessage message = TestMessages.of(sender, sender, clientMsgId, recipients.size() == 1 ? null : "g",
                    "m" + i, i, recipients);
            plan.add(new Planned(i, message, where <= 1 || where == 4, where >= 2));
        }

        Map<Integer, CompletableFuture<Appended>> fromA = new HashMap<>();
        Map<Integer, CompletableFuture<Appended>> fromB = new HashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        Thread submitA = submitter("node-a", go, plan, true, a.messages(), fromA);
        Thread submitB = submitter("node-b", go, plan, false, b.messages(), fromB);
        submitA.start();
        submitB.start();
        go.countDown();
        submitA.join(TimeUnit.SECONDS.toMillis(30));
        submitB.join(TimeUnit.SECONDS.toMillis(30));
        List<CompletableFuture<Appended>> all = new ArrayList<>(fromA.values());
        all.addAll(fromB.values());
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        // Every planned message is stored once; one given to both nodes is stored by one and reported by both.
        Map<Long, Planned> stored = new HashMap<>();
        Map<String, Set<Long>> expectedInbox = new HashMap<>();
        for (Planned planned : plan) {
            Appended answer;
            if (planned.onA() && planned.onB()) {
                Appended one = fromA.get(planned.index()).join();
                Appended other = fromB.get(planned.index()).join();
                assertThat(one.message()).as("message %d", planned.index()).isEqualTo(other.message());
                assertThat(List.of(one.duplicate(), other.duplicate())).as("exactly one stored it")
                        .containsExactlyInAnyOrder(true, false);
                answer = one.duplicate() ? other : one;
                assertThat((one.duplicate() ? one : other).seqByRecipient()).as("the duplicate appended nothing")
                        .isEmpty();
            } else {
                answer = (planned.onA() ? fromA : fromB).get(planned.index()).join();
                assertThat(answer.duplicate()).isFalse();
            }
            assertThat(stored.put(answer.message().messageId(), planned)).as("one id per message").isNull();
            assertThat(answer.seqByRecipient().keySet())
                    .containsExactlyInAnyOrderElementsOf(new HashSet<>(planned.message().recipientIds()));
            for (String recipient : answer.seqByRecipient().keySet()) {
                expectedInbox.computeIfAbsent(recipient, r -> new HashSet<>()).add(answer.message().messageId());
            }
        }

        for (String user : USERS) {
            // Read through either node: they share the database.
            List<InboxEntry> inbox = (user.hashCode() % 2 == 0 ? a : b).messages().inboxAfter(user, 0, 10_000)
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            Set<Long> expected = expectedInbox.getOrDefault(user, Set.of());
            List<Long> seqs = inbox.stream().map(InboxEntry::seq).toList();
            List<Long> ids = inbox.stream().map(e -> e.message().messageId()).toList();
            assertThat(seqs).as("%s's seqs", user).containsExactlyElementsOf(range(expected.size()));
            assertThat(ids).as("%s's entries", user).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(ids).as("%s's entries in id order", user).isSorted();
            assertThat(a.messages().lastSeq(user).toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isEqualTo(expected.size());
        }
    }

    private static Thread submitter(String name, CountDownLatch go, List<Planned> plan, boolean nodeA,
            MessageStore store, Map<Integer, CompletableFuture<Appended>> answers) {
        return new Thread(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (Planned planned : plan) {
                if (nodeA ? planned.onA() : planned.onB()) {
                    answers.put(planned.index(), store.append(planned.message()).toCompletableFuture());
                }
            }
        }, name);
    }

    private static List<Long> range(int n) {
        List<Long> values = new ArrayList<>(n);
        for (long v = 1; v <= n; v++) {
            values.add(v);
        }
        return values;
    }
}
