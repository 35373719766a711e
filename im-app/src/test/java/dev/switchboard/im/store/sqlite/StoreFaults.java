package dev.switchboard.im.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.sqlite.Function;

/**
 * Faults injected into a running {@link SqliteStorage}, for end-to-end tests in other packages. Everything goes
 * through the writer's ordinary queue; nothing here is a production hook.
 */
public final class StoreFaults {

    private StoreFaults() {
    }

    /**
     * From now on, storing a message whose text is {@code text} fails with SQLITE_CONSTRAINT_TRIGGER (a TEMP trigger
     * on the writer's connection): a real, transient failure of that one request. Other messages are unaffected.
     */
    public static void failMessagesWithText(SqliteStorage storage, String text) throws Exception {
        storage.writer().submit(db -> {
            onInsertOfText(db, text, "injected_failure", "SELECT RAISE(ABORT, 'injected failure')");
            return null;
        }).get(10, TimeUnit.SECONDS);
    }

    /**
     * From now on, storing a message whose text is {@code text} stops the writer inside that message's INSERT (a TEMP
     * trigger calling a function that waits), before its transaction commits: that one request is in flight whatever
     * else the server queues meanwhile, which queues behind it. {@link HeldWrite#awaitHeld} waits until it is reached.
     */
    public static HeldWrite holdMessagesWithText(SqliteStorage storage, String text) throws Exception {
        HeldWrite held = new HeldWrite();
        storage.writer().submit(db -> {
            Function.create(db.jdbc(), "held_write", new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    held.reached.countDown();
                    try {
                        held.released.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    result(0);
                }
            });
            onInsertOfText(db, text, "held_write", "SELECT held_write()");
            return null;
        }).get(10, TimeUnit.SECONDS);
        return held;
    }

    /** A TEMP trigger on the writer's connection running {@code action} before a message with this text is stored. */
    private static void onInsertOfText(SqliteConnection db, String text, String trigger, String action)
            throws SQLException {
        String literal = "'" + text.replace("'", "''") + "'";
        try (Statement s = db.jdbc().createStatement()) {
            s.execute("CREATE TEMP TRIGGER " + trigger + " BEFORE INSERT ON messages WHEN NEW.text = " + literal
                    + " BEGIN " + action + "; END");
        }
    }

    /** A message's write that the writer waits inside until {@link #release}. */
    public static final class HeldWrite {
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        /** Waits (10 s at most) until the writer is inside the held message's INSERT. */
        public void awaitHeld() throws InterruptedException {
            assertThat(reached.await(10, TimeUnit.SECONDS)).as("the writer reached the held message").isTrue();
        }

        /** Lets the writer go on: the message is stored and its batch commits. Idempotent. */
        public void release() {
            released.countDown();
        }
    }

    /**
     * Occupies the writer thread with an operation that throws {@code failure} once the returned action runs; returns
     * once the writer is blocked, so operations submitted meanwhile queue up behind it.
     */
    public static Runnable failWhenReleased(SqliteStorage storage, Error failure) throws InterruptedException {
        return block(storage, () -> {
            throw failure;
        });
    }

    /**
     * Occupies the writer thread until the returned action runs, then lets it go on normally: a slow store, for
     * requests to be in flight. Returns once the writer is blocked; operations submitted meanwhile queue behind it.
     */
    public static Runnable holdWriter(SqliteStorage storage) throws InterruptedException {
        return block(storage, () -> { });
    }

    /** Blocks the writer thread until the returned action runs, then runs {@code then} on it. */
    private static Runnable block(SqliteStorage storage, Runnable then) throws InterruptedException {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        storage.writer().submit(db -> {
            blocked.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            then.run();
            return null;
        });
        assertThat(blocked.await(10, TimeUnit.SECONDS)).as("writer blocked").isTrue();
        return release::countDown;
    }

    /**
     * Waits until the store is quiet: a ping through the writer leaves nothing queued on the writer or the readers
     * and no read ran since the previous ping. Work a login starts goes back and forth between the writer and the
     * readers (a read waits for a marker in the writer's queue, and its completion may submit the next step), so a
     * fixed number of pings can end before the chain does.
     */
    public static void settle(SqliteStorage storage) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long readsBefore = -1;
        while (System.nanoTime() < deadline) {
            storage.ping().toCompletableFuture().get(10, TimeUnit.SECONDS);
            long reads = storage.readers().reads();
            if (reads == readsBefore && storage.writer().queued() == 0 && storage.readers().queued() == 0) {
                return;
            }
            readsBefore = reads;
        }
        throw new AssertionError("the store was still busy after 10 s (writer queue " + storage.writer().queued()
                + ", read queue " + storage.readers().queued() + ")");
    }

    /** Operations waiting for the writer. */
    public static int queued(SqliteStorage storage) {
        return storage.writer().queued();
    }
}
