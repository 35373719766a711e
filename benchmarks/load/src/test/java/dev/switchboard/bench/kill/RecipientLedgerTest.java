package dev.switchboard.bench.kill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.kill.RecipientLedger.Outcome;
import dev.switchboard.bench.measure.SequenceTracker;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Hand-made delivery logs, as one recipient would see them across kills and resumes, and what the ledger makes of
 * them. {@code m(s, n)} is message number n of sender s.
 */
class RecipientLedgerTest {

    private final RecipientLedger ledger = new RecipientLedger("bob", 0);

    private static MessageKey m(int sender, long number) {
        return new MessageKey(sender, number);
    }

    private static SequenceTracker acked(long... numbers) {
        SequenceTracker tracker = new SequenceTracker();
        for (long number : numbers) {
            tracker.record(number);
        }
        return tracker;
    }

    private static SequenceTracker ackedUpTo(long last) {
        return acked(LongStream.rangeClosed(0, last).toArray());
    }

    private LedgerTally tally(Map<Integer, SequenceTracker> acked) {
        return ledger.tally(acked, acked.keySet());
    }

    @Test
    void anInOrderStreamFromTwoSendersIsClean() {
        assertThat(ledger.record(1, m(0, 0))).isEqualTo(Outcome.NEXT);
        assertThat(ledger.record(2, m(1, 0))).isEqualTo(Outcome.NEXT);
        assertThat(ledger.record(3, m(0, 1))).isEqualTo(Outcome.NEXT);
        assertThat(ledger.record(4, m(1, 1))).isEqualTo(Outcome.NEXT);

        LedgerTally tally = tally(Map.of(0, ackedUpTo(1), 1, ackedUpTo(1)));
        assertThat(tally).isEqualTo(new LedgerTally(4, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null));
        assertThat(ledger.lastSeq()).isEqualTo(4);
        assertThat(ledger.distinctMessages()).isEqualTo(4);
    }

    @Test
    void aGroupEventFillsItsSeqWithoutCountingAsAMessage() {
        assertThat(ledger.recordEvent(1)).as("the group's created event").isEqualTo(Outcome.NEXT);
        assertThat(ledger.record(2, m(0, 0))).isEqualTo(Outcome.NEXT);
        assertThat(ledger.recordEvent(1)).as("resent in a backlog").isEqualTo(Outcome.REDELIVERY);
        assertThat(ledger.record(1, m(0, 1))).as("a message where the event was").isEqualTo(Outcome.CONFLICT);

        LedgerTally tally = tally(Map.of(0, ackedUpTo(0)));
        assertThat(tally.delivered()).isEqualTo(1);
        assertThat(tally.seqGaps()).isZero();
        assertThat(ledger.lastSeq()).isEqualTo(2);
        assertThat(ledger.distinctMessages()).isEqualTo(1);
    }

    @Test
    void aBacklogResentAfterAReconnectIsDroppedAsRedeliveriesNotCountedAsDuplicates() {
        // First connection: seqs 1-3. The client resumes after 2 (say its last DeliveryAck), and the new server
        // sends 3 again before 4 and 5: at least once.
        ledger.record(1, m(0, 0));
        ledger.record(2, m(0, 1));
        ledger.record(3, m(0, 2));
        assertThat(ledger.record(3, m(0, 2))).isEqualTo(Outcome.REDELIVERY);
        assertThat(ledger.record(4, m(0, 3))).isEqualTo(Outcome.NEXT);
        assertThat(ledger.record(5, m(0, 4))).isEqualTo(Outcome.NEXT);

        LedgerTally tally = tally(Map.of(0, ackedUpTo(4)));
        assertThat(tally.redeliveries()).isEqualTo(1);
        assertThat(tally.duplicated()).isZero();
        assertThat(tally.seqViolations()).isZero();
        assertThat(tally.delivered()).isEqualTo(5);
        assertThat(tally.lost()).isZero();
    }

    @Test
    void aResentMessageTheServerStoresAgainIsADuplicateUnderItsNewSeq() {
        // Message 0#1 was stored before the kill (seq 2) but its SendAck died with the server; the resend with the
        // same clientMsgId must be deduplicated. Stored again, it shows up at seq 3.
        ledger.record(1, m(0, 0));
        ledger.record(2, m(0, 1));
        assertThat(ledger.record(3, m(0, 1))).isEqualTo(Outcome.NEXT);
        ledger.record(4, m(0, 2));

        LedgerTally tally = tally(Map.of(0, ackedUpTo(2)));
        assertThat(tally.duplicated()).isEqualTo(1);
        assertThat(tally.reordered()).isZero();
        assertThat(tally.seqViolations()).isZero();
        assertThat(tally.firstDuplicate()).isEqualTo("bob: seq 3 carried message 0#1 again");
        // Only distinct messages count towards the drain.
        assertThat(ledger.distinctMessages()).isEqualTo(3);
    }

    @Test
    void aSeqThatComesBackWithAnotherMessageIsAConflict() {
        // A server that lost a committed message after a kill would hand its seq to the next one.
        ledger.record(1, m(0, 0));
        ledger.record(2, m(0, 1));
        assertThat(ledger.record(2, m(0, 2))).isEqualTo(Outcome.CONFLICT);

        LedgerTally tally = tally(Map.of(0, ackedUpTo(2)));
        assertThat(tally.seqConflicts()).isEqualTo(1);
        assertThat(tally.seqViolations()).isEqualTo(1);
        assertThat(tally.redeliveries()).isZero();
        // The conflicting delivery was dropped, so acknowledged 0#2 never arrived.
        assertThat(tally.lost()).isEqualTo(1);
        assertThat(tally.firstSeqViolation()).isEqualTo("bob: seq 2 came again with message 0#2, first with message 0#1");
    }

    @Test
    void aGapCountsOnceAndIsFilledByTheBacklogAfterAResume() {
        ledger.record(1, m(0, 0));
        ledger.record(2, m(0, 1));
        assertThat(ledger.record(4, m(0, 3))).isEqualTo(Outcome.AFTER_GAP);
        assertThat(ledger.record(5, m(0, 4))).isEqualTo(Outcome.NEXT); // continues the stream after the gap
        assertThat(ledger.lastSeq()).isEqualTo(2); // what the client resumes after

        // Killed; the client logs in with lastSeq 2; the backlog is 3, 4, 5, then new traffic.
        assertThat(ledger.record(3, m(0, 2))).isEqualTo(Outcome.NEXT);
        assertThat(ledger.lastSeq()).isEqualTo(5);
        assertThat(ledger.record(4, m(0, 3))).isEqualTo(Outcome.REDELIVERY);
        assertThat(ledger.record(5, m(0, 4))).isEqualTo(Outcome.REDELIVERY);
        assertThat(ledger.record(6, m(0, 5))).isEqualTo(Outcome.NEXT);

        LedgerTally tally = tally(Map.of(0, ackedUpTo(5)));
        assertThat(tally.seqGaps()).isEqualTo(1);
        assertThat(tally.redeliveries()).isEqualTo(2);
        assertThat(tally.lost()).isZero();
        assertThat(tally.reordered()).isZero(); // in seq order the sender's messages are in order
        assertThat(tally.firstSeqViolation()).isEqualTo("bob: seq 4 (message 0#3) came while seq 3 had not");
    }

    @Test
    void aGapNeverFilledLosesTheAcknowledgedMessageAndIsOneViolation() {
        ledger.record(1, m(0, 0));
        ledger.record(3, m(0, 2));
        ledger.record(4, m(0, 3));

        LedgerTally tally = tally(Map.of(0, ackedUpTo(3)));
        assertThat(tally.seqGaps()).isEqualTo(1);
        assertThat(tally.lost()).isEqualTo(1);
        assertThat(tally.delivered()).isEqualTo(3);
    }

    @Test
    void aMessageStoredBeforeAnEarlierOneOfItsSenderIsReordered() {
        // Pipelined 0#1..0#4; the server gave 0#3 its seq before 0#2 (say after a cache miss on a cold server).
        ledger.record(1, m(0, 0));
        ledger.record(2, m(0, 1));
        ledger.record(3, m(0, 3));
        ledger.record(4, m(0, 2));
        ledger.record(5, m(1, 0)); // another sender's messages are independent
        ledger.record(6, m(0, 4));

        LedgerTally tally = tally(Map.of(0, ackedUpTo(4), 1, ackedUpTo(0)));
        assertThat(tally.reordered()).isEqualTo(1);
        assertThat(tally.seqViolations()).isZero();
        assertThat(tally.lost()).isZero();
        assertThat(tally.firstReorder()).isEqualTo("bob: seq 4 carried message 0#2 after message 0#3");
    }

    @Test
    void everyMessageOvertakenCountsAsReordered() {
        // A resend after a kill stored behind messages sent later: 0#1 and 0#2 come after 0#3.
        ledger.record(1, m(0, 0));
        ledger.record(2, m(0, 3));
        ledger.record(3, m(0, 1));
        ledger.record(4, m(0, 2));

        assertThat(tally(Map.of(0, ackedUpTo(3))).reordered()).isEqualTo(2);
    }

    @Test
    void onlyAcknowledgedMessagesCanBeLost() {
        // 0#2 was sent but never acknowledged before the run ended: not lost. 0#3 was acknowledged: lost.
        ledger.record(1, m(0, 0));
        ledger.record(2, m(0, 1));

        LedgerTally tally = tally(Map.of(0, acked(0, 1, 3)));
        assertThat(tally.lost()).isEqualTo(1);
    }

    @Test
    void unacknowledgedMessagesThatWereStoredStillCountAsDelivered() {
        ledger.record(1, m(0, 0));
        ledger.record(2, m(0, 1));

        LedgerTally tally = tally(Map.of(0, acked(0)));
        assertThat(tally.delivered()).isEqualTo(2);
        assertThat(tally.lost()).isZero();
    }

    @Test
    void seqsAtTheStartOrFarAheadAreOutOfRangeAndDropped() {
        assertThat(ledger.record(0, m(0, 0))).isEqualTo(Outcome.OUT_OF_RANGE);
        assertThat(ledger.record(RecipientLedger.MAX_JUMP + 1, m(0, 0))).isEqualTo(Outcome.OUT_OF_RANGE);
        assertThat(ledger.record(1, m(0, 0))).isEqualTo(Outcome.NEXT);

        LedgerTally tally = tally(Map.of(0, acked(0)));
        assertThat(tally.seqOutOfRange()).isEqualTo(2);
        assertThat(tally.seqViolations()).isEqualTo(2);
        assertThat(tally.delivered()).isEqualTo(1);
    }

    @Test
    void anInboxThatStartsLaterIsCheckedFromItsStart() {
        RecipientLedger resumed = new RecipientLedger("carol", 100);
        assertThat(resumed.record(101, m(0, 0))).isEqualTo(Outcome.NEXT);
        assertThat(resumed.record(100, m(0, 0))).isEqualTo(Outcome.OUT_OF_RANGE);
        assertThat(resumed.lastSeq()).isEqualTo(101);
    }

    @Test
    void messagesFromASenderThisRecipientShouldNotHearFromAreMisdelivered() {
        ledger.record(1, m(0, 0));
        ledger.record(2, m(1, 0));

        LedgerTally tally = ledger.tally(Map.of(0, acked(0), 1, acked(0)), List.of(0));
        assertThat(tally.misdelivered()).isEqualTo(1);
        assertThat(tally.lost()).isZero();
    }

    @Test
    void tallyOfSeveralRecipientsAddsUpAndKeepsTheFirstExamples() {
        RecipientLedger carol = new RecipientLedger("carol", 0);
        ledger.record(1, m(0, 1));
        ledger.record(2, m(0, 0));
        carol.record(1, m(0, 0));
        carol.record(3, m(0, 1));

        Map<Integer, SequenceTracker> acked = Map.of(0, ackedUpTo(1));
        LedgerTally total = ledger.tally(acked, List.of(0)).plus(carol.tally(acked, List.of(0)));
        assertThat(total.delivered()).isEqualTo(4);
        assertThat(total.reordered()).isEqualTo(1);
        assertThat(total.seqGaps()).isEqualTo(1);
        assertThat(total.firstReorder()).startsWith("bob:");
        assertThat(total.firstSeqViolation()).startsWith("carol:");
        assertThat(LedgerTally.NONE.plus(total)).isEqualTo(total);
    }

    @Test
    void growsPastItsFirstAllocation() {
        for (long seq = 1; seq <= 10_000; seq++) {
            assertThat(ledger.record(seq, m(0, seq - 1))).isEqualTo(Outcome.NEXT);
        }
        LedgerTally tally = tally(Map.of(0, ackedUpTo(9_999)));
        assertThat(tally.delivered()).isEqualTo(10_000);
        assertThat(tally.lost() + tally.reordered() + tally.duplicated() + tally.seqViolations()).isZero();
    }
}
