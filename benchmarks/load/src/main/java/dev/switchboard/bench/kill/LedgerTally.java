package dev.switchboard.bench.kill;

/**
 * What the deliveries to one recipient (or, summed with {@link #plus}, to all) add up to.
 *
 * @param delivered distinct seqs accepted: each is one message delivered once
 * @param lost acknowledged messages of an expected sender that never arrived
 * @param reordered deliveries (in seq order) of a message sent before one of the same sender already delivered
 * @param duplicated deliveries at a new seq of a message already delivered at another seq: the server stored a
 *     message twice, which its deduplication by (sender, clientMsgId) must prevent
 * @param seqGaps new seqs that arrived while an earlier one had not: a gap on the wire
 * @param seqConflicts seqs delivered again with another message than the first time
 * @param seqOutOfRange seqs at or below the inbox's start, or implausibly far ahead (dropped unrecorded)
 * @param redeliveries seqs delivered again with the same message: allowed (at least once), dropped as clients do
 * @param misdelivered deliveries of a message from a sender this recipient should not hear from
 * @param firstReorder the first reordered delivery, described, or {@code null}
 * @param firstDuplicate the first duplicated delivery, described, or {@code null}
 * @param firstSeqViolation the first seq violation, described, or {@code null}
 */
public record LedgerTally(long delivered, long lost, long reordered, long duplicated, long seqGaps,
        long seqConflicts, long seqOutOfRange, long redeliveries, long misdelivered, String firstReorder,
        String firstDuplicate, String firstSeqViolation) {

    public static final LedgerTally NONE = new LedgerTally(0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null);

    /** Deliveries that broke the per-recipient seq rule: gaps, conflicts and seqs out of range. */
    public long seqViolations() {
        return seqGaps + seqConflicts + seqOutOfRange;
    }

    public LedgerTally plus(LedgerTally other) {
        return new LedgerTally(delivered + other.delivered, lost + other.lost, reordered + other.reordered,
                duplicated + other.duplicated, seqGaps + other.seqGaps, seqConflicts + other.seqConflicts,
                seqOutOfRange + other.seqOutOfRange, redeliveries + other.redeliveries,
                misdelivered + other.misdelivered, firstOf(firstReorder, other.firstReorder),
                firstOf(firstDuplicate, other.firstDuplicate), firstOf(firstSeqViolation, other.firstSeqViolation));
    }

    private static String firstOf(String mine, String theirs) {
        return mine != null ? mine : theirs;
    }
}
