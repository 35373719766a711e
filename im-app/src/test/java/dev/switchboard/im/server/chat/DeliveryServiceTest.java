package dev.switchboard.im.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.FrameHeader;
import dev.switchboard.framework.codec.Outbound;
import dev.switchboard.framework.transport.ChannelConnection;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.Appended;
import dev.switchboard.im.store.MemoryStorage;
import dev.switchboard.im.store.MessageStore;
import dev.switchboard.im.store.NewMessage;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-device ordering rules of delivery, on an EmbeddedChannel: every interleaving is driven by hand. */
class DeliveryServiceTest {

    private final MessageStore messages = new MemoryStorage().messages();
    private final SessionRegistry sessions = new SessionRegistry();
    private final DeliveryService delivery = new DeliveryService(sessions, messages);
    private EmbeddedChannel channel;
    private ChannelConnection connection;

    @BeforeEach
    void connect() {
        channel = new EmbeddedChannel();
        connection = ChannelConnection.attach(channel, null, 2, 1);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private DeviceSession login(int version, long startSeq) {
        connection.frameReceived(new FrameHeader(version, 1, 1, 0));
        DeviceSession device = new DeviceSession(connection, "bob", "bob", startSeq);
        sessions.bind(device);
        return device;
    }

    private Appended store(String text) {
        return messages.append(new NewMessage("alice", "alice", null, null, text, 1L, List.of("bob")))
                .toCompletableFuture().join();
    }

    private List<Long> deliveredSeqs() {
        channel.runPendingTasks();
        List<Long> seqs = new ArrayList<>();
        for (Object written; (written = channel.readOutbound()) != null; ) {
            seqs.add(((MessageResponse) ((Outbound) written).packet()).seq());
        }
        return seqs;
    }

    @Test
    void backlogGoesOutBeforeLiveMessagesThatArriveDuringTheSync() {
        store("one");
        store("two");
        DeviceSession device = login(2, 0);
        delivery.deliver(store("three")); // live, while the device is still syncing
        delivery.startSync(device);
        assertThat(deliveredSeqs()).containsExactly(1L, 2L, 3L);
        assertThat(device.syncing()).isFalse();
    }

    @Test
    void liveMessagesAlreadySentInTheBacklogAreNotRepeated() {
        DeviceSession device = login(2, 0);
        delivery.startSync(device);
        assertThat(deliveredSeqs()).isEmpty();
        Appended first = store("one");
        delivery.deliver(first);
        delivery.deliver(first);
        assertThat(deliveredSeqs()).containsExactly(1L);
    }

    @Test
    void aGapTriggersAReadFromTheStoreInsteadOfReordering() {
        DeviceSession device = login(2, 0);
        delivery.startSync(device);
        deliveredSeqs();
        Appended one = store("one");
        Appended two = store("two");
        delivery.deliver(two); // overtakes one, as racing senders can
        delivery.deliver(one);
        assertThat(deliveredSeqs()).containsExactly(1L, 2L);
    }

    @Test
    void startsAfterTheGivenSeq() {
        store("one");
        store("two");
        store("three");
        DeviceSession device = login(2, 2);
        delivery.startSync(device);
        assertThat(deliveredSeqs()).containsExactly(3L);
    }

    @Test
    void v1DevicesAreAcknowledgedByTheWriteAndTheirAckPacketsIgnored() {
        DeviceSession device = login(1, 0);
        store("one");
        store("two");
        delivery.startSync(device);
        channel.runPendingTasks();
        Object written = channel.readOutbound();
        assertThat(((MessageResponse) ((Outbound) written).packet()).seq()).as("v1 carries no seq").isNull();
        channel.readOutbound();
        channel.runPendingTasks();
        assertThat(messages.acknowledgedSeq("bob").toCompletableFuture().join()).isEqualTo(2L);
        delivery.acknowledge(device, 100);
        assertThat(device.ackedUpTo()).isEqualTo(2L);
    }

    @Test
    void v2AcksNeverGoBeyondWhatWasWritten() {
        DeviceSession device = login(2, 0);
        store("one");
        delivery.startSync(device);
        assertThat(deliveredSeqs()).containsExactly(1L);
        delivery.acknowledge(device, 50);
        assertThat(messages.acknowledgedSeq("bob").toCompletableFuture().join()).isEqualTo(1L);
    }

    @Test
    void deliversNothingToOtherUsers() {
        login(2, 0);
        Appended forCarol = messages.append(new NewMessage("alice", "alice", null, null, "hi", 1L,
                List.of("carol"))).toCompletableFuture().join();
        delivery.deliver(forCarol);
        assertThat(deliveredSeqs()).isEmpty();
        assertThat(forCarol.seqByRecipient()).isEqualTo(Map.of("carol", 1L));
    }
}
