package dev.switchboard.bench.kill;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sender's messages that have no SendAck yet, in the order they were first sent, each with the exact request
 * that carried it, so a resend after a reconnect repeats it byte for byte (same clientMsgId, same text) and in the
 * same order. Not thread-safe: the sender's event loop.
 */
final class PendingMessages {

    /** One unacknowledged message: its number and the request to (re)send. */
    record Pending(long number, Object request) {}

    private final Map<Long, Pending> byNumber = new LinkedHashMap<>();

    void add(long number, Object request) {
        if (byNumber.putIfAbsent(number, new Pending(number, request)) != null) {
            throw new IllegalStateException("message " + number + " is already pending");
        }
    }

    /** Forgets an acknowledged message; {@code false} if it was not pending. */
    boolean acknowledge(long number) {
        return byNumber.remove(number) != null;
    }

    /** The pending messages, oldest first. */
    Collection<Pending> inSendOrder() {
        return Collections.unmodifiableCollection(byNumber.values());
    }

    int size() {
        return byNumber.size();
    }
}
