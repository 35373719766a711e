package dev.switchboard.bench.kill;

import dev.switchboard.bench.measure.SequenceTracker;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Every delivery one recipient (one account) got, across all its connections, checked against what the protocol
 * promises: the inbox's seqs run {@code start + 1, start + 2, ...} and each connection gets them in that order
 * without gaps; a seq always names the same message; a message is stored once, so it has one seq; messages of one
 * sender keep the order they were sent in.
 *
 * <p>{@link #record} takes deliveries as they arrive and keeps, per seq, which message it carried (a long each).
 * A seq seen again with the same message is a <em>redelivery</em>, which the protocol allows after a resume (at
 * least once) and which is dropped as clients drop it; with another message it is a <em>conflict</em>. A new seq
 * that skips one not yet seen is a <em>gap</em>: it is kept (the missing one may come after a resume) but the gap on
 * the wire counts once, when it shows; the seqs right after it continue the stream. {@link #lastSeq()} is the highest seq below which nothing is missing, which a
 * client sends as {@code lastSeq} when it logs in again.
 *
 * <p>{@link #tally} then walks the seqs in order: a message at a second seq is a duplicate; a message of a sender
 * after a later message of that sender is reordered; an acknowledged message never delivered is lost.
 *
 * <p>Not thread-safe: one owner (the client's event loop), then the thread that tallies, after a hand-over.
 */
public final class RecipientLedger {

    /** What {@link #record} made of a delivery. */
    public enum Outcome {
        /** The seq after the highest seen, or the lowest not yet seen: kept. */
        NEXT,
        /** A new seq beyond one not yet seen: kept, and the gap counts as a seq violation. */
        AFTER_GAP,
        /** A seq seen before with the same message: dropped, not a violation. */
        REDELIVERY,
        /** A seq seen before with another message: dropped, a seq violation. */
        CONFLICT,
        /** At or below the inbox's start, or more than {@link #MAX_JUMP} past the highest seq: dropped, a violation. */
        OUT_OF_RANGE
    }

    /** How far past the highest seq seen a new one may lie; bounds the memory a bad seq can claim. */
    static final long MAX_JUMP = 1L << 20;

    private final String recipient;
    private final long start;
    private long[] messages = new long[64]; // [seq - start - 1] = packed key + 1; 0 = not seen
    private long highest;
    private long contiguous;
    private final Map<Integer, SequenceTracker> heardFrom = new HashMap<>();
    private long delivered;
    private long distinctMessages;
    private long gaps;
    private long conflicts;
    private long outOfRange;
    private long redeliveries;
    private String firstSeqViolation;

    /**
     * @param recipient names the recipient in the examples of {@link LedgerTally}
     * @param start the seq the inbox starts after: 0 for a new account
     */
    public RecipientLedger(String recipient, long start) {
        if (start < 0) {
            throw new IllegalArgumentException("start < 0: " + start);
        }
        this.recipient = recipient;
        this.start = start;
        this.highest = start;
        this.contiguous = start;
    }

    /** What a seq holding an inbox event rather than a message stores (never a packed key + 1). */
    private static final long EVENT = Long.MIN_VALUE;

    /**
     * Records an inbox event (a group event) at {@code seq}: it fills the seq like a message, so the stream stays
     * whole, but counts as no message.
     */
    public Outcome recordEvent(long seq) {
        return record(seq, EVENT, null);
    }

    /** Records one delivery of {@code key} at {@code seq}. */
    public Outcome record(long seq, MessageKey key) {
        return record(seq, key.packed() + 1, key);
    }

    private Outcome record(long seq, long slot, MessageKey key) {
        if (seq <= start || seq - highest > MAX_JUMP) {
            outOfRange++;
            violation("seq " + seq + " (" + describe(key) + ") is outside " + (start + 1) + ".." + (highest + MAX_JUMP));
            return Outcome.OUT_OF_RANGE;
        }
        int index = (int) (seq - start - 1);
        long stored = index < messages.length ? messages[index] : 0;
        if (stored != 0) {
            if (stored == slot) {
                redeliveries++;
                return Outcome.REDELIVERY;
            }
            conflicts++;
            violation("seq " + seq + " came again with " + describe(key) + ", first with "
                    + (stored == EVENT ? "an event" : describe(MessageKey.unpacked(stored - 1))));
            return Outcome.CONFLICT;
        }
        if (index >= messages.length) {
            messages = Arrays.copyOf(messages, Math.max(index + 1, messages.length * 2));
        }
        messages[index] = slot;
        if (key != null) {
            delivered++;
            if (heardFrom.computeIfAbsent(key.sender(), s -> new SequenceTracker()).record(key.number())
                    != SequenceTracker.Outcome.DUPLICATE) {
                distinctMessages++;
            }
        }
        // Next after the last complete seq (a resume's backlog), or after the highest (the stream goes on past a
        // gap already counted); anything else jumps a seq not yet seen.
        Outcome outcome = seq == contiguous + 1 || seq == highest + 1 ? Outcome.NEXT : Outcome.AFTER_GAP;
        if (outcome == Outcome.AFTER_GAP) {
            gaps++;
            violation("seq " + seq + " (" + describe(key) + ") came while seq " + (contiguous + 1) + " had not");
        }
        highest = Math.max(highest, seq);
        while (contiguous < highest && messages[(int) (contiguous - start)] != 0) {
            contiguous++;
        }
        return outcome;
    }

    private void violation(String what) {
        if (firstSeqViolation == null) {
            firstSeqViolation = recipient + ": " + what;
        }
    }

    /** A message as {@code sender#number}, as in the report's examples; null is an event. */
    private static String describe(MessageKey key) {
        return key == null ? "an event" : "message " + key.sender() + "#" + key.number();
    }

    /** The highest seq with every seq from the start up to it recorded: what to resume after. */
    public long lastSeq() {
        return contiguous;
    }

    /** Distinct messages (by key) recorded, whatever their seqs. */
    public long distinctMessages() {
        return distinctMessages;
    }

    /**
     * Adds it all up.
     *
     * @param acknowledged per sender index, the numbers the server acknowledged with a SendAck
     * @param expectedSenders the senders every acknowledged message of which this recipient must get
     */
    public LedgerTally tally(Map<Integer, SequenceTracker> acknowledged, Collection<Integer> expectedSenders) {
        Set<Integer> expected = new HashSet<>(expectedSenders);
        Map<Integer, SequenceTracker> walked = new HashMap<>();
        Map<Integer, Long> latest = new HashMap<>();
        long duplicated = 0, reordered = 0, misdelivered = 0;
        String firstReorder = null, firstDuplicate = null;
        for (int i = 0; i < highest - start; i++) {
            if (messages[i] == 0 || messages[i] == EVENT) {
                continue; // a gap, counted when it showed, or an event: no message
            }
            MessageKey key = MessageKey.unpacked(messages[i] - 1);
            long seq = start + 1 + i;
            if (!expected.contains(key.sender())) {
                misdelivered++;
            }
            if (walked.computeIfAbsent(key.sender(), s -> new SequenceTracker()).record(key.number())
                    == SequenceTracker.Outcome.DUPLICATE) {
                duplicated++;
                if (firstDuplicate == null) {
                    firstDuplicate = recipient + ": seq " + seq + " carried " + describe(key) + " again";
                }
                continue;
            }
            Long previous = latest.get(key.sender());
            if (previous != null && key.number() < previous) {
                reordered++;
                if (firstReorder == null) {
                    firstReorder = recipient + ": seq " + seq + " carried " + describe(key) + " after "
                            + describe(new MessageKey(key.sender(), previous));
                }
            } else {
                latest.put(key.sender(), key.number());
            }
        }
        long lost = 0;
        for (int sender : expected) {
            SequenceTracker acked = acknowledged.get(sender);
            if (acked != null) {
                lost += heardFrom.getOrDefault(sender, new SequenceTracker()).missingOf(acked);
            }
        }
        return new LedgerTally(delivered, lost, reordered, duplicated, gaps, conflicts, outOfRange, redeliveries,
                misdelivered, firstReorder, firstDuplicate, firstSeqViolation);
    }
}
