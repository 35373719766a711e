package dev.switchboard.bench.kill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PendingMessagesTest {

    @Test
    void keepsUnacknowledgedMessagesInTheOrderTheyWereFirstSent() {
        PendingMessages pending = new PendingMessages();
        for (long n = 0; n < 5; n++) {
            pending.add(n, "request " + n);
        }
        assertThat(pending.acknowledge(2)).isTrue();
        assertThat(pending.acknowledge(0)).isTrue();
        assertThat(pending.acknowledge(2)).as("a second SendAck for one message").isFalse();
        pending.add(5, "request 5");

        assertThat(pending.inSendOrder()).extracting(PendingMessages.Pending::number).containsExactly(1L, 3L, 4L, 5L);
        assertThat(pending.inSendOrder()).extracting(PendingMessages.Pending::request)
                .containsExactly("request 1", "request 3", "request 4", "request 5");
        assertThat(pending.size()).isEqualTo(4);
    }

    @Test
    void refusesToTrackOneNumberTwice() {
        PendingMessages pending = new PendingMessages();
        pending.add(1, "a");
        assertThatThrownBy(() -> pending.add(1, "b")).hasMessageContaining("already pending");
    }
}
