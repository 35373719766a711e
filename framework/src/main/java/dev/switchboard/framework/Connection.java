package dev.switchboard.framework;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;

/**
 * One peer connection, as seen by handlers. Every method is thread-safe; writes are queued to the connection's
 * event loop, and packets sent from one thread reach the peer in the order they were sent.
 */
public interface Connection {

    /** A short id, unique for the life of the process, used in logs. */
    String id();

    /** The peer's address. */
    SocketAddress remoteAddress();

    /** The protocol version byte of the latest frame received (0 before the first frame). */
    int protocolVersion();

    /** The serializer id of the latest frame received (the wire format's default before the first frame). */
    int serializerId();

    /** A typed per-connection attribute, for application state such as the logged-in user; null if not set. */
    <T> T attr(ConnectionAttribute<T> key);

    /** Stores a typed per-connection attribute; {@code null} removes it. */
    <T> void attr(ConnectionAttribute<T> key, T value);

    /** Whether {@link #authenticate(Object)} was called since the connection opened or last logged out. */
    boolean isAuthenticated();

    /** The principal given to {@link #authenticate(Object)}, if authenticated. */
    Optional<Object> principal();

    /**
     * Marks the connection authenticated: the authentication gate leaves the pipeline and every command is
     * dispatched from now on. Until {@link #logout()}, log lines about the connection name the principal, by its
     * {@code toString()}, as their {@value ConnectionLog#USER} ({@link ConnectionLog}).
     */
    void authenticate(Object principal);

    /** Puts the authentication gate back: only anonymous commands are dispatched until the next authenticate. */
    void logout();

    /**
     * Sends a packet in this connection's current version and serializer, flushing it.
     *
     * @return completes when the packet is written to the socket, exceptionally if the write failed
     */
    CompletionStage<Void> send(Object packet);

    /** Sends a packet in the given version and serializer. */
    CompletionStage<Void> send(Object packet, int protocolVersion, int serializerId);

    /**
     * Sends a packet like {@link #send(Object, int, int)} without creating a completion stage, for hot paths that
     * do not need to know when the write completes (a failed write is logged at DEBUG).
     */
    void post(Object packet, int protocolVersion, int serializerId);

    /**
     * Encodes a packet once, as {@link #send(Object, int, int)} would write it, for posting the same bytes to many
     * connections of this server. The caller owns the frame and must release it after its last post.
     */
    SharedFrame encode(Object packet, int protocolVersion, int serializerId);

    /** Writes a shared frame's bytes (a duplicate: the frame stays the caller's), without a completion stage. */
    void post(SharedFrame frame);

    /** Whether the outbound buffer is below its high water mark; senders of bulk traffic should respect it. */
    boolean isWritable();

    /**
     * Runs {@code step} once the steps this connection submitted before it have completed (successfully or not),
     * and returns its stage. For handlers whose asynchronous work must take effect in the order the connection's
     * packets arrived although it starts with a lookup that may complete late: submit the part up to the point
     * that decides order (for example up to handing a write to a store that keeps submission order) and let the
     * stage complete there, not when the whole request is done, so later packets wait only for that part.
     *
     * <p>A step whose predecessor has completed runs at once on the calling thread; otherwise it runs on the
     * connection's event loop. Reading from the peer pauses while more than 256 steps wait. A step that throws
     * fails its own stage only.
     */
    <T> CompletionStage<T> inOrder(Supplier<? extends CompletionStage<T>> step);

    /**
     * Runs {@code task} on the event loop as soon as the connection is writable: at once if it is, otherwise when
     * its outbound buffer has drained below the low water mark. Not run if the connection closes first. For
     * senders of bulk traffic that pause at {@link #isWritable()} == false and resume here.
     */
    void whenWritable(Runnable task);

    /** The connection's event loop: state confined to it needs no locks. Connections may share one. */
    Executor eventLoop();

    /** Whether the calling thread is this connection's event loop (where its state may be touched directly). */
    boolean inEventLoop();

    /** Runs {@code task} on the connection's event loop (later, even if called from it). */
    void execute(Runnable task);

    /**
     * Runs {@code task} on the connection's event loop after {@code delay}; the future cancels it. The task runs
     * even if the connection has closed meanwhile: check {@link #isOpen()} in it.
     */
    ScheduledFuture<?> schedule(Duration delay, Runnable task);

    /** Whether the connection is open. */
    boolean isOpen();

    /** Closes the connection after flushing what was written, logging the reason at DEBUG. */
    void close(String reason);
}
