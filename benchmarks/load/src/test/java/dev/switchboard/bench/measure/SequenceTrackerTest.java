package dev.switchboard.bench.measure;

import static dev.switchboard.bench.measure.SequenceTracker.Outcome.DUPLICATE;
import static dev.switchboard.bench.measure.SequenceTracker.Outcome.IN_ORDER;
import static dev.switchboard.bench.measure.SequenceTracker.Outcome.OUT_OF_ORDER;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    @Test
    void inOrderNumbersAreNewAndRepeatsAreDuplicates() {
        SequenceTracker tracker = new SequenceTracker();
        assertThat(tracker.record(0)).isEqualTo(IN_ORDER);
        assertThat(tracker.record(1)).isEqualTo(IN_ORDER);
        assertThat(tracker.record(0)).isEqualTo(DUPLICATE);
        assertThat(tracker.record(1)).isEqualTo(DUPLICATE);
        assertThat(tracker.count()).isEqualTo(2);
    }

    @Test
    void gapsAreFilledLaterAndCountedOnce() {
        SequenceTracker tracker = new SequenceTracker();
        assertThat(tracker.record(2)).isEqualTo(OUT_OF_ORDER);
        assertThat(tracker.record(2)).isEqualTo(DUPLICATE);
        assertThat(tracker.record(0)).isEqualTo(IN_ORDER);
        assertThat(tracker.contains(1)).isFalse();
        assertThat(tracker.record(1)).isEqualTo(IN_ORDER);
        assertThat(tracker.record(3)).isEqualTo(IN_ORDER);
        assertThat(tracker.record(3)).isEqualTo(DUPLICATE);
        assertThat(tracker.count()).isEqualTo(4);
        assertThat(tracker.contains(3)).isTrue();
        assertThat(tracker.contains(4)).isFalse();
    }

    @Test
    void missingCountsWhatTheExpectedSetHoldsAndThisOneLacks() {
        SequenceTracker sent = new SequenceTracker();
        for (long seq = 0; seq < 100; seq++) {
            sent.record(seq);
        }
        sent.record(150); // acknowledged out of order, 100..149 not acknowledged
        SequenceTracker received = new SequenceTracker();
        for (long seq = 0; seq < 100; seq++) {
            if (seq != 10 && seq != 57) {
                received.record(seq);
            }
        }
        received.record(120); // delivered though never acknowledged: not a loss
        assertThat(received.missingOf(sent)).isEqualTo(3); // 10, 57, 150
        assertThat(sent.missingOf(sent)).isZero();
        assertThat(new SequenceTracker().missingOf(sent)).isEqualTo(101);
    }
}
