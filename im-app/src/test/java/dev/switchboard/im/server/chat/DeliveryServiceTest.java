package dev.switchboard.im.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.testing.TestConnection;
import dev.switchboard.framework.testing.WireCodec;
import dev.switchboard.framework.wire.DefaultWireFormat;
import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.server.metrics.ImMetrics;
import dev.switchboard.im.server.session.DeliveryState;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.TestMessages;
import dev.switchboard.im.store.Appended;
import dev.switchboard.im.store.MessageStore;
import dev.switchboard.im.store.NewMessage;
import dev.switchboard.im.store.memory.MemoryStorage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-device ordering rules of delivery, on an EmbeddedChannel: every interleaving is driven by hand. */
class DeliveryServiceTest {

    private final MessageStore messages = new MemoryStorage().messages();
    private final SessionRegistry sessions = new SessionRegistry();
    private final DeliveryService delivery = new DeliveryService(sessions, messages, ImMetrics.none());
    private TestConnection connection;

    @BeforeEach
    void connect() {
        connection = TestConnection.packets();
    }

    @AfterEach
    void close() {
        connection.close();
    }

    private DeviceSession login(int version, long startSeq) {
        return login("bob", version, startSeq);
    }

    private DeviceSession login(String user, int version, long startSeq) {
        connection.received(new FrameHeader(version, 1, 1, 0));
        DeviceSession device = new DeviceSession(connection.connection(), user, user, startSeq);
        sessions.bind(device, 16);
        return device;
    }

    private Appended store(String text) {
        return store(text, "bob");
    }

    private Appended store(String text, String to) {
        return messages.append(TestMessages.of("alice", "alice", null, null, text, 1L, List.of(to)))
                .toCompletableFuture().join();
    }

    /** Makes the channel unwritable or writable again, as a full or drained outbound buffer would. */
    private void writable(boolean writable) {
        connection.writable(writable);
    }

    private List<String> deliveredTexts() {
        return connection.writtenPackets().stream().map(packet -> ((MessageResponse) packet).message()).toList();
    }

    @Test
    void aPageInFlightWhenTheSessionEndsIsNotWrittenNorAcknowledged() {
        store("one");
        store("two");
        DeviceSession device = login(1, 0); // v1: a write would count as delivered
        delivery.start(device); // the page comes back as a task on the event loop
        sessions.unbind(connection.connection()); // logout, pipelined right behind the login

        assertThat(deliveredSeqs()).isEmpty();
        assertThat(device.state()).isEqualTo(DeliveryState.ENDED);
        assertThat(messages.acknowledgedSeq("bob").toCompletableFuture().join()).isZero();
        delivery.deliver(store("three"));
        assertThat(deliveredSeqs()).as("nothing live either").isEmpty();
    }

    @Test
    void aNewLoginOnTheConnectionGetsOnlyItsOwnBacklog() {
        store("for bob", "bob");
        store("for carol", "carol");
        DeviceSession bob = login("bob", 2, 0);
        delivery.start(bob);
        DeviceSession carol = login("carol", 2, 0); // re-login before bob's page came back
        delivery.start(carol);

        assertThat(deliveredTexts()).containsExactly("for carol");
        assertThat(bob.state()).isEqualTo(DeliveryState.ENDED);
        delivery.deliver(store("late for bob", "bob"));
        assertThat(deliveredTexts()).isEmpty();
    }

    @Test
    void anUnwritableConnectionPausesDeliveriesWithoutHoldingThemAndResumesFromTheCursor() {
        DeviceSession device = login(2, 0);
        delivery.start(device);
        assertThat(deliveredSeqs()).isEmpty();
        writable(false);
        delivery.deliver(store("one"));
        delivery.deliver(store("two"));
        assertThat(deliveredSeqs()).isEmpty();
        assertThat(device.state()).isEqualTo(DeliveryState.PAUSED);

        writable(true);
        assertThat(deliveredSeqs()).containsExactly(1L, 2L);
        assertThat(device.state()).isEqualTo(DeliveryState.LIVE);
    }

    @Test
    void theBacklogWaitsForAWritableConnection() {
        store("one");
        store("two");
        DeviceSession device = login(2, 0);
        writable(false);
        delivery.start(device);
        assertThat(deliveredSeqs()).isEmpty();
        writable(true);
        assertThat(deliveredSeqs()).containsExactly(1L, 2L);
    }

    @Test
    void theBacklogStopsAtTheFirstFrameThatMakesTheConnectionUnwritable() {
        for (int i = 0; i < 10; i++) {
            store("m" + i);
        }
        connection.waterMarks(1, 2); // any frame crosses it
        DeviceSession device = login(2, 0);
        connection.peerStopsReading();
        delivery.start(device);
        connection.runPendingTasks();
        assertThat(device.cursor()).as("one frame above the high water mark, the rest left in the store")
                .isEqualTo(1L);
        assertThat(device.state()).isEqualTo(DeliveryState.PAUSED);

        connection.peerReads(); // the buffer drains and the cursor resumes
        List<Long> seqs = deliveredSeqs();
        assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    private List<Long> deliveredSeqs() {
        return connection.writtenPackets().stream().map(packet -> ((MessageResponse) packet).seq()).toList();
    }

    @Test
    void aNoticeFromAnotherNodeMakesALiveDeviceReadWhatItIsBehindOnce() {
        DeviceSession device = login(2, 0);
        delivery.start(device);
        assertThat(deliveredSeqs()).as("an empty backlog").isEmpty();
        assertThat(device.state()).isEqualTo(DeliveryState.LIVE);
        store("one"); // stored by another node: nothing delivered here yet
        store("two");

        delivery.noticed("bob", 2);
        assertThat(deliveredTexts()).containsExactly("one", "two");
        delivery.noticed("bob", 2); // the same notice again, or the catch-up finding nothing new
        delivery.noticed("bob", 1);
        assertThat(deliveredSeqs()).isEmpty();
        delivery.noticed("carol", 9); // nobody here
        assertThat(deliveredSeqs()).isEmpty();
    }

    @Test
    void aNoticeOfAnEntryAlreadyPrunedEndsInLiveNotInReadingForever() {
        store("one");
        messages.acknowledge("bob", 1).toCompletableFuture().join(); // another device's ack: the memory store prunes
        DeviceSession device = login(2, 0);
        delivery.start(device);
        assertThat(deliveredSeqs()).isEmpty();

        delivery.noticed("bob", 1); // told of seq 1, which is gone
        assertThat(deliveredSeqs()).isEmpty();
        assertThat(device.state()).as("an empty page shows it gone").isEqualTo(DeliveryState.LIVE);
        assertThat(device.owed()).isFalse();
        delivery.deliver(store("two"));
        assertThat(deliveredTexts()).containsExactly("two");
    }

    @Test
    void aNoticeDuringABacklogReadIsReadAfterThePage() {
        store("one");
        DeviceSession device = login(2, 0);
        delivery.start(device); // READING: the page for "one" is in flight as an event loop task
        store("two"); // stored elsewhere meanwhile
        delivery.noticed("bob", 2);

        assertThat(deliveredTexts()).containsExactly("one", "two");
        assertThat(device.state()).isEqualTo(DeliveryState.LIVE);
    }

    @Test
    void aNoticeToAPausedDeviceWaitsForTheDrain() {
        DeviceSession device = login(2, 0);
        delivery.start(device);
        writable(false);
        store("one");
        delivery.noticed("bob", 1);
        assertThat(deliveredSeqs()).isEmpty();
        writable(true);
        assertThat(deliveredTexts()).containsExactly("one");
    }

    @Test
    void backlogGoesOutBeforeLiveMessagesThatArriveDuringTheSync() {
        store("one");
        store("two");
        DeviceSession device = login(2, 0);
        delivery.deliver(store("three")); // live, while the device is still syncing
        delivery.start(device);
        assertThat(deliveredSeqs()).containsExactly(1L, 2L, 3L);
        assertThat(device.state()).isEqualTo(DeliveryState.LIVE);
    }

    @Test
    void liveMessagesAlreadySentInTheBacklogAreNotRepeated() {
        DeviceSession device = login(2, 0);
        delivery.start(device);
        assertThat(deliveredSeqs()).isEmpty();
        Appended first = store("one");
        delivery.deliver(first);
        delivery.deliver(first);
        assertThat(deliveredSeqs()).containsExactly(1L);
    }

    @Test
    void aGapTriggersAReadFromTheStoreInsteadOfReordering() {
        DeviceSession device = login(2, 0);
        delivery.start(device);
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
        delivery.start(device);
        assertThat(deliveredSeqs()).containsExactly(3L);
    }

    @Test
    void v1DevicesAreAcknowledgedByTheWriteAndTheirAckPacketsIgnored() {
        DeviceSession device = login(1, 0);
        store("one");
        store("two");
        delivery.start(device);
        List<Object> written = connection.writtenPackets();
        assertThat(written).hasSize(2);
        assertThat(((MessageResponse) written.get(0)).seq()).as("v1 carries no seq").isNull();
        connection.runPendingTasks();
        assertThat(messages.acknowledgedSeq("bob").toCompletableFuture().join()).isEqualTo(2L);
        delivery.acknowledge(device, 100);
        assertThat(device.ackedUpTo()).isEqualTo(2L);
    }

    @Test
    void v2AcksNeverGoBeyondWhatWasWritten() {
        DeviceSession device = login(2, 0);
        store("one");
        delivery.start(device);
        assertThat(deliveredSeqs()).containsExactly(1L);
        delivery.acknowledge(device, 50);
        assertThat(messages.acknowledgedSeq("bob").toCompletableFuture().join()).isEqualTo(1L);
    }

    @Test
    void deliversNothingToOtherUsers() {
        login(2, 0);
        Appended forCarol = messages.append(TestMessages.of("alice", "alice", null, null, "hi", 1L,
                List.of("carol"))).toCompletableFuture().join();
        delivery.deliver(forCarol);
        assertThat(deliveredSeqs()).isEmpty();
        assertThat(forCarol.seqByRecipient()).isEqualTo(Map.of("carol", 1L));
    }

    @Test
    void groupDeliveriesWithTheSameBytesShareOneEncoding() {
        WireCodec codec = WireCodec.scan(new DefaultWireFormat(), "dev.switchboard.im.protocol");
        TestConnection[] channels = new TestConnection[3];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = TestConnection.frames(codec);
            channels[i].received(new FrameHeader(i < 2 ? 2 : 1, 1, 1, 0));
            DeviceSession session = new DeviceSession(channels[i].connection(), "member" + i, "member" + i, 0);
            sessions.bind(session, 16);
            delivery.start(session);
            channels[i].runPendingTasks();
        }
        Appended groupMessage = messages.append(TestMessages.of("alice", "alice", null, "g1", "hi all", 5L,
                List.of("member0", "member1", "member2"))).toCompletableFuture().join();
        delivery.deliver(groupMessage);
        try {
            ByteBuf first = readFrame(channels[0]);
            ByteBuf second = readFrame(channels[1]);
            ByteBuf v1 = readFrame(channels[2]);
            assertThat(ByteBufUtil.equals(first, second)).as("v2 members with seq 1 get the same bytes").isTrue();
            assertThat(first.toString(StandardCharsets.UTF_8)).contains("\"seq\":1").contains("\"message\":\"hi all\"");
            assertThat(v1.toString(StandardCharsets.UTF_8)).as("v1 gets its own encoding, without seq")
                    .contains("hi all").doesNotContain("seq");
            first.release();
            second.release();
            v1.release();
        } finally {
            for (TestConnection member : channels) {
                member.close();
            }
        }
    }

    private static ByteBuf readFrame(TestConnection channel) {
        ByteBuf frame = channel.nextFrame();
        assertThat(frame).isNotNull();
        return frame;
    }
}
