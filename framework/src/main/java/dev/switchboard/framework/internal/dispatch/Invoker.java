package dev.switchboard.framework.internal.dispatch;

import dev.switchboard.framework.Connection;

/**
 * Calls one bound handler method. Built once at startup as generated code, never reflection; its
 * {@link HandlerBinding} names the method.
 */
public interface Invoker {

    /** Returns the handler's result: null, a packet, or a {@code CompletionStage}. */
    Object invoke(Object packet, Connection connection) throws Exception;
}
