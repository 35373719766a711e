package dev.switchboard.bench.client;

import dev.switchboard.bench.protocol.ErrorResponse;
import dev.switchboard.bench.protocol.GroupMessageResponse;
import dev.switchboard.bench.protocol.MessageResponse;
import dev.switchboard.bench.protocol.SendAck;

/**
 * What a workload hears from one {@link BenchClient}. Every method runs on that client's event loop and must not
 * block; packets written from a callback with {@link BenchClient#write} are flushed when the read batch ends.
 */
public interface ClientListener {

    /** A direct message delivered to this client (command 4). */
    default void onDelivery(BenchClient client, MessageResponse delivery) {}

    /** A group message delivered to this client (command 16). */
    default void onGroupDelivery(BenchClient client, GroupMessageResponse delivery) {}

    /** The server stored a message this client sent (command 19). */
    /** An inbox event that is not a message (a group event): it has taken {@code seq} in the inbox. */
    default void onInboxEvent(BenchClient client, long seq) {}

    default void onSendAck(BenchClient client, SendAck ack) {}

    /** An error that answers no pending {@link BenchClient#request}: usually a refused message. */
    default void onError(BenchClient client, ErrorResponse error) {}

    /** The connection closed, by either side. */
    default void onClosed(BenchClient client) {}

    /** Hears nothing. */
    ClientListener NONE = new ClientListener() {};
}
