package dev.switchboard.im.client;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Version-2 delivery bookkeeping: which seqs arrived, the highest contiguous one (what the client acknowledges and
 * resumes from), and whether a {@code DeliveryAck} is due. Thread-safe (synchronized; called from the event loop
 * and, for login, from any thread).
 *
 * <ul>
 *   <li>The first seq ever seen sets the baseline: the client has no history before it.</li>
 *   <li>A seq at or below the contiguous mark, or already held ahead of a gap, is a duplicate: dropped, but it
 *       makes the next ack be sent again (the server resends what it thinks was not acknowledged).</li>
 *   <li>A seq beyond a gap is delivered and held until the gap fills; acks never claim a missing seq.</li>
 *   <li>The first delivery after a login that starts beyond the gap means the server no longer has the missing
 *       seqs (it resends everything after {@code lastSeq} it retains): the mark jumps past the gap.</li>
 * </ul>
 */
final class SeqTracker {

    /** Seqs held ahead of a gap before the tracker gives up on the gap. */
    static final int MAX_AHEAD = 10_000;

    private final TreeSet<Long> ahead = new TreeSet<>();
    private long contiguous = -1;
    private long acked = -1;
    private boolean reack;
    private boolean resumed;

    /** Records {@code seq}; returns true if it is new (show it), false for a duplicate (drop it). */
    synchronized boolean accept(long seq) {
        if (contiguous < 0) {
            contiguous = seq - 1;
        }
        boolean firstAfterLogin = resumed;
        resumed = false;
        if (firstAfterLogin && seq > contiguous + 1) {
            skipTo(seq - 1);
        }
        if (seq <= contiguous || ahead.contains(seq)) {
            reack = true;
            return false;
        }
        if (seq == contiguous + 1) {
            contiguous = seq;
            while (!ahead.isEmpty() && ahead.first() == contiguous + 1) {
                contiguous = ahead.pollFirst();
            }
        } else {
            ahead.add(seq);
            if (ahead.size() > MAX_AHEAD) {
                skipTo(ahead.first() - 1);
            }
        }
        return true;
    }

    private void skipTo(long mark) {
        contiguous = Math.max(contiguous, mark);
        ahead.headSet(contiguous, true).clear();
        while (!ahead.isEmpty() && ahead.first() == contiguous + 1) {
            contiguous = ahead.pollFirst();
        }
    }

    /** Called after every successful login: the next delivery starts the server's resend. */
    synchronized void loggedIn() {
        resumed = true;
    }

    /** The {@code lastSeq} to resume from, or null before the first delivery. */
    synchronized Long lastSeq() {
        return contiguous < 0 ? null : contiguous;
    }

    /** Whether an ack is due. */
    synchronized boolean ackDue() {
        return contiguous >= 0 && (contiguous > acked || reack);
    }

    /** The seq to acknowledge now, marking it sent; empty if no ack is due. */
    synchronized OptionalLong takeAck() {
        if (!ackDue()) {
            return OptionalLong.empty();
        }
        acked = contiguous;
        reack = false;
        return OptionalLong.of(contiguous);
    }
}
