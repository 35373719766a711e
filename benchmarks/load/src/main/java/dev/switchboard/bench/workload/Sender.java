package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.BenchClient;
import dev.switchboard.bench.measure.MessageStamp;
import dev.switchboard.bench.measure.SequenceTracker;
import dev.switchboard.bench.protocol.ErrorResponse;
import dev.switchboard.bench.protocol.SendAck;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One sending client's traffic: numbered, stamped messages with at most {@code window} awaiting their SendAck.
 * Without a rate it refills the window on every SendAck (as fast as the server allows); with a rate a 1 ms pacer
 * sends what is due, and each message is stamped with the time it was due rather than the time it went out, so a
 * server that stalls the window is charged for the wait (no coordinated omission). The schedule restarts when
 * measurement starts ({@link #restartSchedule}): a backlog left by the warm-up (JIT compilation, say) is dropped
 * rather than charged to the measured phase.
 *
 * <p>Confined to the client's event loop; read the counters after the client closed.
 */
final class Sender {

    private static final long PACER_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final int index;
    private final String clientMsgIdPrefix;
    private final int window;
    private final double ratePerSecond;
    private final int messageSize;
    private final RunCounters counters;
    private final SequenceTracker acked = new SequenceTracker();
    private BenchClient client;
    private MessageAddress address;
    private long nextSeq;
    private int inFlight;
    private long refused;
    private long unmatchedAcks;
    private String firstRefusal;
    private boolean running;
    private long scheduleStartNanos;
    private long scheduleStartSeq;
    private ScheduledFuture<?> pacer;

    /**
     * @param index the sender's number in the run, carried in every message
     * @param runId makes clientMsgIds unique across runs and senders
     * @param ratePerSecond this sender's rate; 0 for as fast as the window allows
     */
    Sender(int index, String runId, int window, double ratePerSecond, int messageSize, RunCounters counters) {
        if (window < 1) {
            throw new IllegalArgumentException("window < 1: " + window);
        }
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("rate < 0: " + ratePerSecond);
        }
        this.index = index;
        this.clientMsgIdPrefix = runId + "." + index + ".";
        this.window = window;
        this.ratePerSecond = ratePerSecond;
        this.messageSize = messageSize;
        this.counters = counters;
    }

    int index() {
        return index;
    }

    /** The sequence numbers the server acknowledged. */
    SequenceTracker acked() {
        return acked;
    }

    long sent() {
        return nextSeq;
    }

    long refused() {
        return refused;
    }

    long unmatchedAcks() {
        return unmatchedAcks;
    }

    /** The code and reason of the first refusal, or {@code null}. */
    String firstRefusal() {
        return firstRefusal;
    }

    /** Where to send, once the run knows; before {@link #start}. */
    void bind(BenchClient client, MessageAddress address) {
        this.client = client;
        this.address = address;
    }

    /** Starts sending; {@code startNanos} is when the rate schedule begins. Event loop. */
    void start(long startNanos) {
        restartSchedule(startNanos);
        running = true;
        if (ratePerSecond > 0) {
            pacer = client.eventLoop().scheduleAtFixedRate(
                    this::pace, 0, PACER_PERIOD_NANOS, TimeUnit.NANOSECONDS);
        } else {
            pump(System.nanoTime());
            client.flush();
        }
    }

    /** Makes the next message due at {@code nanos}, forgetting messages due before it and not yet sent. */
    void restartSchedule(long nanos) {
        scheduleStartNanos = nanos;
        scheduleStartSeq = nextSeq;
    }

    /** Stops sending; answers to what is in flight are still counted. Event loop. */
    void stop() {
        running = false;
        if (pacer != null) {
            pacer.cancel(false);
        }
    }

    void onSendAck(SendAck ack) {
        String id = ack.clientMsgId();
        if (id == null || !id.startsWith(clientMsgIdPrefix)) {
            unmatchedAcks++;
            return;
        }
        long seq;
        try {
            seq = Long.parseLong(id, clientMsgIdPrefix.length(), id.length(), 10);
        } catch (NumberFormatException e) {
            unmatchedAcks++;
            return;
        }
        if (seq >= nextSeq || acked.record(seq) == SequenceTracker.Outcome.DUPLICATE) {
            unmatchedAcks++;
            return;
        }
        inFlight--;
        counters.acked.increment();
        pump(System.nanoTime());
    }

    /** The server refused a message with an Error (it has no clientMsgId, so only the window is freed). */
    void onRefused(ErrorResponse error) {
        if (firstRefusal == null) {
            firstRefusal = error.code() + " " + error.reason();
        }
        inFlight--;
        refused++;
        counters.refused.increment();
        pump(System.nanoTime());
    }

    private void pace() {
        pump(System.nanoTime());
        client.flush();
    }

    private void pump(long now) {
        if (!running) {
            return;
        }
        if (ratePerSecond == 0) {
            while (inFlight < window) {
                send(now);
            }
            return;
        }
        long due = scheduleStartSeq + (long) ((now - scheduleStartNanos) * ratePerSecond / 1e9);
        while (nextSeq < due && inFlight < window) {
            send(scheduleStartNanos + (long) ((nextSeq - scheduleStartSeq) * 1e9 / ratePerSecond));
        }
    }

    private void send(long stampNanos) {
        long seq = nextSeq++;
        String text = new MessageStamp(index, seq, stampNanos).text(messageSize);
        client.write(address.request(text, clientMsgIdPrefix + seq));
        inFlight++;
        counters.sent.increment();
    }
}
