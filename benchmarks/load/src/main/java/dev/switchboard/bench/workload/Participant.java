package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.BenchClient;
import dev.switchboard.bench.client.ClientListener;
import dev.switchboard.bench.measure.MessageStamp;
import dev.switchboard.bench.measure.SequenceTracker;
import dev.switchboard.bench.protocol.ErrorResponse;
import dev.switchboard.bench.protocol.GroupMessageResponse;
import dev.switchboard.bench.protocol.MessageResponse;
import dev.switchboard.bench.protocol.SendAck;
import java.util.List;

/**
 * One client of a messaging run: receives (every participant) and may send. As a receiver it keeps one
 * {@link SequenceTracker} per sender, so a repeat is a duplicate and an acknowledged number never seen is a loss.
 *
 * <p>Confined to the client's event loop; read the counters after the client closed.
 */
final class Participant implements ClientListener {

    private final RunCounters counters;
    private final Sender sender;
    private final SequenceTracker[] fromSender;
    private List<Sender> expectedSenders = List.of();
    private Session session;
    private long duplicates;
    private long outOfOrder;
    private long foreign;
    private long errors;

    /**
     * @param senderCount how many senders the run has (stamps name senders 0 to senderCount-1)
     * @param sender this participant's sending role, or {@code null}
     */
    Participant(RunCounters counters, int senderCount, Sender sender) {
        this.counters = counters;
        this.sender = sender;
        this.fromSender = new SequenceTracker[senderCount];
    }

    Sender sender() {
        return sender;
    }

    Session session() {
        return session;
    }

    BenchClient client() {
        return session.client();
    }

    void session(Session session) {
        this.session = session;
    }

    /** The senders whose every acknowledged message this participant must receive. */
    void expectFrom(List<Sender> senders) {
        this.expectedSenders = List.copyOf(senders);
    }

    @Override
    public void onDelivery(BenchClient client, MessageResponse delivery) {
        receive(delivery.message());
    }

    @Override
    public void onGroupDelivery(BenchClient client, GroupMessageResponse delivery) {
        receive(delivery.message());
    }

    @Override
    public void onSendAck(BenchClient client, SendAck ack) {
        if (sender != null) {
            sender.onSendAck(ack);
        }
    }

    @Override
    public void onError(BenchClient client, ErrorResponse error) {
        if (error.refusesAMessage() && sender != null) {
            sender.onRefused(error);
        } else {
            errors++;
        }
    }

    private void receive(String text) {
        MessageStamp stamp = MessageStamp.parse(text);
        if (stamp == null || stamp.sender() >= fromSender.length) {
            foreign++;
            return;
        }
        SequenceTracker tracker = fromSender[stamp.sender()];
        if (tracker == null) {
            tracker = fromSender[stamp.sender()] = new SequenceTracker();
        }
        SequenceTracker.Outcome outcome = tracker.record(stamp.seq());
        if (outcome == SequenceTracker.Outcome.DUPLICATE) {
            duplicates++;
            return;
        }
        if (outcome == SequenceTracker.Outcome.OUT_OF_ORDER) {
            outOfOrder++;
        }
        counters.arrived(stamp, System.nanoTime());
    }

    /** Acknowledged messages of the expected senders that never arrived here. */
    long lost() {
        long lost = 0;
        for (Sender expected : expectedSenders) {
            SequenceTracker received = fromSender[expected.index()];
            lost += (received != null ? received : new SequenceTracker()).missingOf(expected.acked());
        }
        return lost;
    }

    long duplicates() {
        return duplicates;
    }

    long outOfOrder() {
        return outOfOrder;
    }

    /** Deliveries whose text carried no stamp of this run. */
    long foreign() {
        return foreign;
    }

    /** Errors that answered no message (a message's refusal is counted by its sender). */
    long errors() {
        return errors;
    }
}
