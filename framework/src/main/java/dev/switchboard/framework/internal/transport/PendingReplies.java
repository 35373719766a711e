package dev.switchboard.framework.internal.transport;

import dev.switchboard.framework.ErrorReply;
import dev.switchboard.framework.RequestFailedException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;

/**
 * Client requests waiting for their replies. A reply is matched to the oldest waiting request that expects its
 * class (first in, first out), which is right for servers that answer each connection's requests in order; an
 * {@link ErrorReply} fails the oldest waiting request whose command code it names. Thread-safe.
 */
public final class PendingReplies {

    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();

    private record Pending(int requestCommand, Class<?> replyType, CompletableFuture<Object> future) {}

    /** Registers a request; must happen before the request is written. */
    public synchronized CompletableFuture<Object> expect(int requestCommand, Class<?> replyType) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        Pending pending = new Pending(requestCommand, replyType, future);
        waiting.add(pending);
        // However it completes (reply, timeout, failed send, cancellation), it stops waiting: a stale entry
        // would swallow the reply meant for the next request of the same type.
        future.whenComplete((value, error) -> remove(pending));
        return future;
    }

    private synchronized void remove(Pending pending) {
        waiting.remove(pending);
    }

    /** Completes the oldest request expecting this packet; returns false if none did. */
    public boolean complete(Object packet) {
        CompletableFuture<Object> future = null;
        Exception failure = null;
        synchronized (this) {
            for (Iterator<Pending> it = waiting.iterator(); it.hasNext(); ) {
                Pending pending = it.next();
                if (pending.future.isDone()) {
                    it.remove();
                    continue;
                }
                if (pending.replyType.isInstance(packet)) {
                    it.remove();
                    future = pending.future;
                    break;
                }
                if (packet instanceof ErrorReply error && error.requestCommand() == pending.requestCommand) {
                    it.remove();
                    future = pending.future;
                    failure = new RequestFailedException(error);
                    break;
                }
            }
        }
        if (future == null) {
            return false;
        }
        return failure == null ? future.complete(packet) : future.completeExceptionally(failure);
    }

    /** Fails every waiting request, e.g. when the connection is lost. */
    public void failAll(Exception cause) {
        Pending[] all;
        synchronized (this) {
            all = waiting.toArray(Pending[]::new);
            waiting.clear();
        }
        for (Pending pending : all) {
            pending.future.completeExceptionally(cause);
        }
    }
}
