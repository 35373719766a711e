package dev.switchboard.im.store;

import dev.switchboard.im.store.memory.MemoryStorage;
import dev.switchboard.im.store.sqlite.SqliteStorage;
import java.util.concurrent.CompletionStage;

/**
 * The three stores of one storage back end.
 *
 * <h2>Threading and ordering</h2>
 * Every method returns at once and never blocks the caller, so it may be called from a Netty event loop. Operations
 * on the stores of one {@code Storage} are executed one at a time in submission order, and their stages complete in
 * that order; an operation therefore sees the effects of every operation submitted before it (an
 * {@code inboxAfter} submitted after an {@code append} sees that message, without waiting for the append's stage).
 *
 * <p>SQLite runs the <b>read path</b> ({@link MessageStore#history}, {@link MessageStore#conversations},
 * {@link MessageStore#readCount}, {@link MessageStore#directPeers}, {@link GroupStore#groupsWith},
 * {@link GroupStore#groupsOf}, {@link GroupStore#membershipsOf}, {@link GroupStore#memberSince},
 * {@link UserStore#findByIds}, {@link UserStore#findByNames}) on reader connections beside its writer: such a read
 * still starts only after everything submitted before it is committed, so it sees it too, and its stage completes
 * after those of the reads submitted before it; but its work does not hold up the writer.
 *
 * <p>Stages may complete on one of the store's own threads ({@link SqliteStorage}, {@code PostgresStorage}) or on
 * the caller's ({@link MemoryStorage}). Callbacks attached with the non-async methods ({@code thenAccept}, ...)
 * therefore run on the store thread or, when the stage is already complete, on the thread attaching them. It follows
 * that callbacks one thread attaches to its own operations run in that thread's submission order (what a channel's
 * event loop needs); across threads, only the SQLite and PostgreSQL stores
 * also run callbacks attached before completion in global order (SQLite: for operations off the read path;
 * PostgreSQL: this process's order, other processes sharing the database having their own).
 * Keep such callbacks short and never block in them (never {@code join()} another store stage there): use
 * {@code thenAcceptAsync(action, channel.eventLoop())} for real work.
 *
 * <h2>Errors</h2>
 * Invalid arguments are rejected eagerly by the method itself ({@link NullPointerException},
 * {@link IllegalArgumentException}). Everything else is reported through the stage: {@link UserExistsException},
 * {@link StoreOverloadedException} when the queue is full, {@link StoreException} when the store is not running or
 * an operation failed (a transient failure: the store goes on), {@link StorageFailedException} after a fatal failure
 * (the store has stopped for good and its {@link StorageFailureListener} was told).
 */
public interface Storage {

    UserStore users();

    GroupStore groups();

    MessageStore messages();

    /**
     * A round trip through the store that changes nothing, for readiness: completes once the store has answered.
     * With SQLite, a read of the schema version queued on the writer like any operation, so it also answers late when the
     * writer is slow, and fails when it stopped or failed; with PostgreSQL, a {@code SELECT 1} queued the same way,
     * which also fails while the database cannot be reached; the memory store always answers at once.
     */
    CompletionStage<Void> ping();
}
