package dev.switchboard.bench.measure;

import java.util.BitSet;

/**
 * The set of sequence numbers (0, 1, 2, ...) seen from one sender, kept as "everything below {@code contiguous}"
 * plus a bit set of what arrived ahead of a gap, so in-order traffic costs no memory. Tells new numbers from
 * repeats and counts the numbers another tracker holds that this one lacks. Not thread-safe: one owner thread.
 */
public final class SequenceTracker {

    /** What {@link #record} found. */
    public enum Outcome {
        /** The lowest number not yet seen. */
        IN_ORDER,
        /** New, but ahead of a number not yet seen: it overtook an earlier one. Each overtaking counts once. */
        OUT_OF_ORDER,
        /** Seen before. */
        DUPLICATE
    }

    /** The farthest a number may lie beyond the first gap: bounds the bit set at 16 MiB. */
    static final long MAX_AHEAD = 1L << 27;

    private long contiguous;
    private BitSet ahead = new BitSet(); // bit i <=> contiguous + i was seen; bit 0 is always clear

    /** Records a number. */
    public Outcome record(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("seq < 0: " + seq);
        }
        if (seq < contiguous) {
            return Outcome.DUPLICATE;
        }
        long offset = seq - contiguous;
        if (offset >= MAX_AHEAD) {
            throw new IllegalArgumentException("seq " + seq + " is more than " + MAX_AHEAD + " past the gap at "
                    + contiguous);
        }
        if (offset == 0) {
            if (ahead.isEmpty()) {
                contiguous++;
                return Outcome.IN_ORDER;
            }
            ahead.set(0);
            int run = ahead.nextClearBit(0);
            contiguous += run;
            ahead = ahead.get(run, Math.max(run, ahead.length()));
            return Outcome.IN_ORDER;
        }
        if (ahead.get((int) offset)) {
            return Outcome.DUPLICATE;
        }
        ahead.set((int) offset);
        return Outcome.OUT_OF_ORDER;
    }

    /** Whether the number was recorded. */
    public boolean contains(long seq) {
        if (seq < contiguous) {
            return seq >= 0;
        }
        long offset = seq - contiguous;
        return offset < MAX_AHEAD && ahead.get((int) offset);
    }

    /** How many distinct numbers were recorded. */
    public long count() {
        return contiguous + ahead.cardinality();
    }

    /** How many numbers {@code expected} holds that this tracker does not: the losses, if it holds the sent ones. */
    public long missingOf(SequenceTracker expected) {
        long missing = 0;
        // Below both prefixes nothing can be missing; only look where this tracker's prefix ends.
        for (long seq = contiguous; seq < expected.contiguous; seq++) {
            if (!contains(seq)) {
                missing++;
            }
        }
        long base = expected.contiguous;
        for (int i = expected.ahead.nextSetBit(0); i >= 0; i = expected.ahead.nextSetBit(i + 1)) {
            if (!contains(base + i)) {
                missing++;
            }
        }
        return missing;
    }
}
