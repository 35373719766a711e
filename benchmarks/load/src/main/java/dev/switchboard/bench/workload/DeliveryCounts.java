package dev.switchboard.bench.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * Every message and delivery of a messaging run, warm-up and drain included.
 *
 * @param sent messages sent
 * @param acked messages the server acknowledged with a SendAck
 * @param refused messages the server answered with an Error
 * @param unanswered messages that got neither by the end of the drain
 * @param deliveries distinct deliveries seen (a message to a group of G counts G)
 * @param expectedDeliveries acknowledged messages times their receivers
 * @param lost acknowledged deliveries never seen by the end of the drain
 * @param duplicates deliveries seen more than once
 * @param outOfOrder deliveries that overtook an earlier message of the same sender
 * @param seqViolations deliveries whose server {@code seq} was not the previous one plus one
 * @param foreign deliveries whose text carried no stamp of this run
 * @param otherErrors errors that answered something other than a message, SendAcks that matched no message,
 *     unreadable packets
 * @param closedByPeer connections the server closed
 * @param firstRefusal code and reason of the first refused message, or {@code null}
 */
public record DeliveryCounts(long sent, long acked, long refused, long unanswered, long deliveries,
        long expectedDeliveries, long lost, long duplicates, long outOfOrder, long seqViolations, long foreign,
        long otherErrors, long closedByPeer, String firstRefusal) {

    /** Why these counts fail the run; empty if they pass. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (lost > 0) {
            problems.add(lost + " acknowledged deliveries lost");
        }
        if (duplicates > 0) {
            problems.add(duplicates + " duplicated deliveries");
        }
        if (deliveries == 0) {
            problems.add("nothing was delivered");
        }
        if (refused > 0) {
            // A refusing server (RATE_LIMITED, say) is not being measured for what the run claims.
            problems.add(refused + " messages refused by the server; first: " + firstRefusal);
        }
        if (unanswered > 0) {
            problems.add(unanswered + " messages got neither SendAck nor Error");
        }
        if (seqViolations > 0) {
            problems.add(seqViolations + " deliveries broke the per-recipient seq (+1, no gaps)");
        }
        if (closedByPeer > 0) {
            problems.add(closedByPeer + " connections closed by the server");
        }
        return problems;
    }
}
