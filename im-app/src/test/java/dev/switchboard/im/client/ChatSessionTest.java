package dev.switchboard.im.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.DeliveryAck;
import dev.switchboard.im.protocol.GroupMessageResponse;
import dev.switchboard.im.protocol.Member;
import dev.switchboard.im.protocol.MessageResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The delivery path without a network: dedupe by seq and one cumulative ack per read batch. */
class ChatSessionTest {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final ChatSession session = new ChatSession(ClientSettings.of("127.0.0.1", 1, "alice", "pw", 2, 1),
            lines::add, new KnownNames());
    private final RecordingConnection connection = new RecordingConnection();

    private static MessageResponse message(long seq) {
        return new MessageResponse("u-bob", "bob", "m" + seq, 100 + seq, seq, 0L);
    }

    @Test
    void aBatchOfDeliveriesIsAcknowledgedOnceCumulatively() {
        for (long seq = 1; seq <= 5; seq++) {
            session.delivered(message(seq), connection);
        }
        session.delivered(new GroupMessageResponse("g1", Member.of("u-bob", "bob"), "g", 106L, 6L, 0L), null, connection);
        assertThat(connection.sent).isEmpty();

        connection.runTasks();

        assertThat(connection.sent).containsExactly(new DeliveryAck(6));
        assertThat(lines).hasSize(6);
    }

    @Test
    void duplicatesAreDroppedAndAcknowledgedAgain() {
        session.delivered(message(1), connection);
        session.delivered(message(2), connection);
        connection.runTasks();

        session.delivered(message(2), connection);
        session.delivered(message(1), connection);
        connection.runTasks();

        assertThat(lines).containsExactly("[message] from=bob(u-bob) seq=1 id=101 text=m1",
                "[message] from=bob(u-bob) seq=2 id=102 text=m2");
        assertThat(connection.sent).containsExactly(new DeliveryAck(2), new DeliveryAck(2));
    }

    @Test
    void version1DeliveriesHaveNoSeqAndAreNeverAcknowledged() {
        session.delivered(new MessageResponse("u-bob", "bob", "hi", null, null, null), connection);
        session.delivered(new MessageResponse("u-bob", "bob", "hi", null, null, null), connection);
        connection.runTasks();

        assertThat(lines).containsExactly("[message] from=bob(u-bob) text=hi", "[message] from=bob(u-bob) text=hi");
        assertThat(connection.sent).isEmpty();
    }
}
