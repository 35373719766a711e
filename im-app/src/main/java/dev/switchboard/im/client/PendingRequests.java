package dev.switchboard.im.client;

import dev.switchboard.im.protocol.SendAck;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the client is still waiting for. Two views:
 * <ul>
 *   <li>requests sent on the current connection that expect a reply, oldest first (the server answers a
 *       connection's requests in order, so a reply or error completes the oldest one it fits); cleared when the
 *       connection is lost;</li>
 *   <li>v2 messages the server has not acknowledged with a {@link SendAck}, kept across reconnects and sent again
 *       with the same clientMsgId after the next login (the server stores a retried message once).</li>
 * </ul>
 * Thread-safe (synchronized): the console thread adds, the event loop completes.
 */
final class PendingRequests {

    /** Bound on either view; past it, new messages are refused instead of growing the heap. */
    static final int MAX_PENDING = 100_000;

    private final ArrayDeque<ChatRequest> waiting = new ArrayDeque<>();
    private final Map<String, ChatRequest> unacked = new LinkedHashMap<>();

    /**
     * Records a request about to be sent (or, for a v2 message, queued until the next login).
     *
     * @param onConnection whether it is being written to the current connection now
     * @return false if the bound is reached and the request must not be sent
     */
    synchronized boolean add(ChatRequest request, boolean onConnection) {
        if (waiting.size() >= MAX_PENDING || unacked.size() >= MAX_PENDING) {
            return false;
        }
        if (request.retriable()) {
            unacked.put(request.clientMsgId(), request);
        }
        if (onConnection && request.replyType() != null) {
            waiting.add(request);
        }
        return true;
    }

    /**
     * Completes the oldest waiting request that {@code reply} answers (a {@link SendAck} only the message with its
     * clientMsgId).
     *
     * @return whether a request was waiting for it
     */
    synchronized boolean answered(Object reply) {
        if (reply instanceof SendAck ack) {
            ChatRequest message = unacked.remove(ack.clientMsgId());
            if (message != null) {
                waiting.removeIf(message::equals);
            }
            return message != null;
        }
        for (Iterator<ChatRequest> it = waiting.iterator(); it.hasNext(); ) {
            if (it.next().replyType().isInstance(reply)) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    /**
     * Completes the oldest waiting request with this command code as failed; a failed message is not retried.
     *
     * @return the failed request, or null if none was waiting
     */
    synchronized ChatRequest failed(int command) {
        for (Iterator<ChatRequest> it = waiting.iterator(); it.hasNext(); ) {
            ChatRequest request = it.next();
            if (request.command() == command) {
                it.remove();
                if (request.retriable()) {
                    unacked.remove(request.clientMsgId());
                }
                return request;
            }
        }
        return null;
    }

    /** A write failed: the request is no longer on the connection (a message stays queued for retry). */
    synchronized void notSent(ChatRequest request) {
        waiting.remove(request);
    }

    /** The connection is gone: its replies will never come. Unacknowledged messages stay. */
    synchronized void connectionLost() {
        waiting.clear();
    }

    /** The messages to send again after a login, in their original order, now waiting on the new connection. */
    synchronized List<ChatRequest> resend() {
        List<ChatRequest> again = new ArrayList<>(unacked.values());
        for (ChatRequest message : again) {
            if (!waiting.contains(message)) {
                waiting.add(message);
            }
        }
        return again;
    }

    /** Whether nothing is outstanding. */
    synchronized boolean isEmpty() {
        return waiting.isEmpty() && unacked.isEmpty();
    }

    synchronized int unackedCount() {
        return unacked.size();
    }
}
