package dev.switchboard.bench.kill;

import dev.switchboard.bench.client.BenchClient;
import dev.switchboard.bench.measure.MessageStamp;
import dev.switchboard.bench.measure.SequenceTracker;
import dev.switchboard.bench.protocol.ErrorResponse;
import dev.switchboard.bench.protocol.SendAck;

/**
 * One account's sending, as a real client does it across reconnects: numbered, stamped messages with at most
 * {@code window} of them lacking a SendAck. A message counts as acknowledged only once its SendAck arrives; until
 * then it is kept, and every time the account is logged in again all of them are sent again, oldest first, with
 * the same clientMsgId and text, before anything new. The server may or may not have stored one sent before a kill;
 * its deduplication by (sender, clientMsgId) must make the resend a no-op that returns the original SendAck.
 *
 * <p>Confined to the account's event loop; read the counters after the client stopped.
 */
final class ResendingSender {

    private final int index;
    private final String clientMsgIdPrefix;
    private final int window;
    private final int messageSize;
    private final KillProgress progress;
    private final PendingMessages pending = new PendingMessages();
    private final SequenceTracker acked = new SequenceTracker();
    private Destination destination;
    private BenchClient connection;
    private boolean sending;
    private long nextNumber;
    private long resent;
    private long refused;
    private long unmatchedAcks;
    private String firstRefusal;

    /**
     * @param index the sender's number in the run, carried in every message
     * @param runId makes clientMsgIds unique across runs
     */
    ResendingSender(int index, String runId, int window, int messageSize, KillProgress progress) {
        if (window < 1) {
            throw new IllegalArgumentException("window < 1: " + window);
        }
        this.index = index;
        this.clientMsgIdPrefix = runId + "." + index + ".";
        this.window = window;
        this.messageSize = messageSize;
        this.progress = progress;
    }

    int index() {
        return index;
    }

    /** Where to send; once, before {@link #startSending}. */
    void bind(Destination destination) {
        this.destination = destination;
    }

    /** The account is logged in on {@code client}: resend what is pending, then fill the window. */
    void online(BenchClient client) {
        connection = client;
        for (PendingMessages.Pending message : pending.inSendOrder()) {
            client.write(message.request());
            resent++;
        }
        fill();
    }

    /** The connection is gone; pending messages wait for the next login. */
    void offline() {
        connection = null;
    }

    void startSending() {
        if (destination == null) {
            throw new IllegalStateException("sender " + index + " has no destination");
        }
        sending = true;
        fill();
        if (connection != null) {
            connection.flush();
        }
    }

    /** No new messages from now on; pending ones are still resent until acknowledged. */
    void stopSending() {
        sending = false;
    }

    void onSendAck(SendAck ack) {
        long number = numberOf(ack.clientMsgId());
        if (number < 0 || !pending.acknowledge(number)) {
            unmatchedAcks++;
            return;
        }
        acked.record(number);
        progress.acked.increment();
        fill();
    }

    /**
     * The server refused a message. An ErrorResponse carries no clientMsgId, so the message cannot be told; it stays
     * pending and goes again with the rest at the next login. The refusal fails the run: a refusing server is not
     * being measured for what the run claims.
     */
    void onRefused(ErrorResponse error) {
        if (firstRefusal == null) {
            firstRefusal = error.code() + " " + error.reason();
        }
        refused++;
    }

    private void fill() {
        while (sending && connection != null && pending.size() < window) {
            long number = nextNumber++;
            String text = new MessageStamp(index, number, System.nanoTime()).text(messageSize);
            Object request = destination.request(text, clientMsgIdPrefix + number);
            pending.add(number, request);
            connection.write(request);
            progress.sent.increment();
        }
    }

    private long numberOf(String clientMsgId) {
        if (clientMsgId == null || !clientMsgId.startsWith(clientMsgIdPrefix)) {
            return -1;
        }
        try {
            return Long.parseLong(clientMsgId, clientMsgIdPrefix.length(), clientMsgId.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The numbers the server acknowledged. */
    SequenceTracker acked() {
        return acked;
    }

    long sent() {
        return nextNumber;
    }

    long unacknowledged() {
        return pending.size();
    }

    long resent() {
        return resent;
    }

    long refused() {
        return refused;
    }

    long unmatchedAcks() {
        return unmatchedAcks;
    }

    String firstRefusal() {
        return firstRefusal;
    }
}
