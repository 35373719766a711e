package dev.switchboard.im.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.FrameHeader;
import dev.switchboard.framework.DefaultWireFormat;
import dev.switchboard.framework.Serializers;
import dev.switchboard.framework.codec.CodecRegistry;
import dev.switchboard.framework.codec.PacketEncoder;
import dev.switchboard.framework.codec.PacketType;
import dev.switchboard.im.protocol.GroupMessageResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
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

    @Test
    void groupDeliveriesWithTheSameBytesShareOneEncoding() {
        CodecRegistry registry = new CodecRegistry(new DefaultWireFormat(),
                List.of(new PacketType(4, MessageResponse.class, false),
                        new PacketType(16, GroupMessageResponse.class, false)),
                List.of(Serializers.json()));
        EmbeddedChannel[] channels = new EmbeddedChannel[3];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = new EmbeddedChannel(new PacketEncoder(registry, 1 << 20));
            ChannelConnection device = ChannelConnection.attach(channels[i], null, i < 2 ? 2 : 1, 1);
            device.frameReceived(new FrameHeader(i < 2 ? 2 : 1, 1, 1, 0));
            DeviceSession session = new DeviceSession(device, "member" + i, "member" + i, 0);
            sessions.bind(session);
            delivery.startSync(session);
            channels[i].runPendingTasks();
        }
        Appended groupMessage = messages.append(new NewMessage("alice", "alice", null, "g1", "hi all", 5L,
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
            for (EmbeddedChannel member : channels) {
                member.finishAndReleaseAll();
            }
        }
    }

    private static ByteBuf readFrame(EmbeddedChannel channel) {
        channel.runPendingTasks();
        ByteBuf frame = channel.readOutbound();
        assertThat(frame).isNotNull();
        return frame;
    }
}
