package dev.switchboard.im.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SeqTrackerTest {

    private final SeqTracker seqs = new SeqTracker();

    @Test
    void startsWithoutLastSeqAndTakesTheFirstSeqAsBaseline() {
        assertThat(seqs.lastSeq()).isNull();
        assertThat(seqs.ackDue()).isFalse();

        assertThat(seqs.accept(41)).isTrue();
        assertThat(seqs.accept(42)).isTrue();

        assertThat(seqs.lastSeq()).isEqualTo(42);
    }

    @Test
    void dropsDuplicatesButAcknowledgesAgain() {
        seqs.accept(1);
        seqs.accept(2);
        assertThat(seqs.takeAck()).isEqualTo(OptionalLong.of(2));
        assertThat(seqs.takeAck()).isEmpty();

        assertThat(seqs.accept(2)).isFalse();
        assertThat(seqs.accept(1)).isFalse();

        assertThat(seqs.takeAck()).isEqualTo(OptionalLong.of(2));
    }

    @Test
    void acknowledgesCumulativelyOnlyUpToAGap() {
        seqs.accept(1);
        assertThat(seqs.accept(3)).isTrue();
        assertThat(seqs.accept(4)).isTrue();
        assertThat(seqs.accept(3)).isFalse();

        assertThat(seqs.takeAck()).isEqualTo(OptionalLong.of(1));
        assertThat(seqs.lastSeq()).isEqualTo(1);

        assertThat(seqs.accept(2)).isTrue();
        assertThat(seqs.takeAck()).isEqualTo(OptionalLong.of(4));
    }

    @Test
    void aResendThatStartsBeyondTheGapAfterLoginSkipsIt() {
        seqs.accept(1);
        seqs.accept(3);
        seqs.loggedIn();

        assertThat(seqs.accept(3)).isFalse();
        assertThat(seqs.lastSeq()).isEqualTo(3);
        assertThat(seqs.accept(4)).isTrue();
        assertThat(seqs.lastSeq()).isEqualTo(4);
    }

    @Test
    void aResendFromTheMarkAfterLoginFillsTheGap() {
        seqs.accept(1);
        seqs.accept(3);
        seqs.loggedIn();

        assertThat(seqs.accept(2)).isTrue();
        assertThat(seqs.accept(3)).isFalse();
        assertThat(seqs.lastSeq()).isEqualTo(3);
    }
}
