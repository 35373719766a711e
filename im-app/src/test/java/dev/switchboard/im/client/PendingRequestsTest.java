package dev.switchboard.im.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.JoinGroupRequest;
import dev.switchboard.im.protocol.JoinGroupResponse;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.SendAck;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {

    private final PendingRequests pending = new PendingRequests();
    private final ChatRequest message = ChatRequest.of(new MessageRequest(null, "hi", "c1", "bob"), SendAck.class,
            "c1");
    private final ChatRequest join = ChatRequest.of(new JoinGroupRequest("g1"), JoinGroupResponse.class, null);

    @Test
    void aReplyCompletesTheOldestRequestItAnswers() {
        pending.add(join, true);
        pending.add(message, true);

        assertThat(pending.answered(new JoinGroupResponse("g1", true, null))).isTrue();
        assertThat(pending.answered(new JoinGroupResponse("g1", true, null))).isFalse();
        assertThat(pending.answered(new SendAck("other", 1, 1))).isFalse();
        assertThat(pending.answered(new SendAck("c1", 1, 1))).isTrue();
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void unacknowledgedMessagesSurviveALostConnectionAndAreResentOnce() {
        pending.add(join, true);
        pending.add(message, true);

        pending.connectionLost();

        assertThat(pending.isEmpty()).isFalse();
        assertThat(pending.resend()).containsExactly(message);
        assertThat(pending.answered(new SendAck("c1", 1, 1))).isTrue();
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void anErrorFailsTheOldestRequestWithItsCommandAndStopsItsRetries() {
        pending.add(join, true);
        pending.add(message, true);

        assertThat(pending.failed(3)).isEqualTo(message);
        assertThat(pending.failed(3)).isNull();
        assertThat(pending.unackedCount()).isZero();
        assertThat(pending.failed(11)).isEqualTo(join);
    }

    @Test
    void aLoginOnTheSameConnectionResendsWithoutWaitingTwice() {
        pending.add(message, true);

        assertThat(pending.resend()).containsExactly(message);
        assertThat(pending.answered(new SendAck("c1", 1, 1))).isTrue();

        assertThat(pending.isEmpty()).isTrue();
    }
}
