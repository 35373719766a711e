package dev.switchboard.im.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.ConversationInfo;
import dev.switchboard.im.protocol.ConversationsRequest;
import dev.switchboard.im.protocol.ConversationsResponse;
import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.GroupMemberJoined;
import dev.switchboard.im.protocol.GroupMessageRequest;
import dev.switchboard.im.protocol.GroupMessageResponse;
import dev.switchboard.im.protocol.HeartBeatRequest;
import dev.switchboard.im.protocol.HeartBeatResponse;
import dev.switchboard.im.protocol.HistoryMessage;
import dev.switchboard.im.protocol.HistoryRequest;
import dev.switchboard.im.protocol.HistoryResponse;
import dev.switchboard.im.protocol.JoinGroupRequest;
import dev.switchboard.im.protocol.JoinGroupResponse;
import dev.switchboard.im.protocol.MarkReadRequest;
import dev.switchboard.im.protocol.MarkReadResponse;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.ReadCountRequest;
import dev.switchboard.im.protocol.ReadCountResponse;
import dev.switchboard.im.protocol.ReadPositionChanged;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.testing.ChatClient;
import dev.switchboard.im.testing.RunningServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** History, conversation lists, read positions and read counts (commands 28-36) over real loopback sockets. */
class ConversationsEndToEndTest {

    private static final int V1 = 1;
    private static final int V2 = 2;
    private static final Duration QUIET = Duration.ofMillis(300);

    @RegisterExtension
    final RunningServer server = new RunningServer();

    @Test
    void historyShowsBothSidesOfADirectConversationAsDeliveredNewestFirst() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            List<Long> sent = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                alice.send(new MessageRequest(null, "m" + i, "c" + i, "bob"));
                sent.add(alice.next(SendAck.class).messageId());
            }
            List<MessageResponse> delivered = bob.next(MessageResponse.class, 3);
            assertThat(delivered).extracting(MessageResponse::messageId).isEqualTo(sent);
            bob.send(new MessageRequest(alice.userId(), "reply", null, null));
            long reply = bob.next(SendAck.class).messageId();
            alice.next(MessageResponse.class);

            alice.send(new HistoryRequest(null, "bob", null, null, 2));
            HistoryResponse newest = alice.next(HistoryResponse.class);
            alice.send(new HistoryRequest(null, "bob", null, newest.messages().get(1).messageId(), 2));
            HistoryResponse older = alice.next(HistoryResponse.class);
            bob.send(new HistoryRequest(alice.userId(), null, null, null, null));
            HistoryResponse bobsView = bob.next(HistoryResponse.class);

            assertThat(newest.peerId()).isEqualTo(bob.userId());
            assertThat(newest.peerName()).as("named, for a client that knows only the id").isEqualTo("bob");
            assertThat(newest.more()).isTrue();
            assertThat(older.more()).isFalse();
            List<HistoryMessage> all = new ArrayList<>(newest.messages());
            all.addAll(older.messages());
            assertThat(all).extracting(HistoryMessage::messageId)
                    .containsExactly(reply, sent.get(2), sent.get(1), sent.get(0));
            assertThat(all).extracting(HistoryMessage::message).containsExactly("reply", "m3", "m2", "m1");
            assertThat(all.get(1).timestamp()).isEqualTo(delivered.get(2).timestamp());
            assertThat(all.get(0).fromUserName()).isEqualTo("bob");
            assertThat(bobsView.messages()).isEqualTo(all);
            assertThat(bobsView.peerId()).isEqualTo(alice.userId());
            assertThat(bobsView.peerName()).isEqualTo("alice");
        }
    }

    @Test
    void markingReadSyncsTheReadersDevicesTellsThePeerAndNeverGoesBack() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient phone = ChatClient.login(server.port(), V2, "bob");
                ChatClient laptop = ChatClient.login(server.port(), V2, "bob")) {
            alice.send(new MessageRequest(null, "first", null, "bob"));
            long first = alice.next(SendAck.class).messageId();
            alice.send(new MessageRequest(null, "second", null, "bob"));
            long second = alice.next(SendAck.class).messageId();
            phone.next(MessageResponse.class, 2);
            laptop.next(MessageResponse.class, 2);

            phone.send(new ConversationsRequest(null, null));
            ConversationInfo unread = phone.next(ConversationsResponse.class).conversations().get(0);
            assertThat(unread.peerId()).isEqualTo(alice.userId());
            assertThat(unread.peerName()).isEqualTo("alice");
            assertThat(unread.unreadCount()).isEqualTo(2);
            assertThat(unread.lastMessage().message()).isEqualTo("second");

            phone.send(new MarkReadRequest(alice.userId(), null, null, first));
            List<Object> onPhone = new ArrayList<>();
            MarkReadResponse marked = phone.nextSkipping(MarkReadResponse.class, onPhone);
            assertThat(marked.readUpTo()).isEqualTo(first);
            assertThat(marked.peerName()).isEqualTo("alice");
            ReadPositionChanged synced = laptop.next(ReadPositionChanged.class);
            ReadPositionChanged told = alice.next(ReadPositionChanged.class);

            assertThat(synced.peerId()).as("named as bob names it").isEqualTo(alice.userId());
            assertThat(synced.userId()).isEqualTo(phone.userId());
            assertThat(synced.readUpTo()).isEqualTo(first);
            assertThat(synced.seq()).isEqualTo(3);
            assertThat(told.peerId()).as("named as alice names it").isEqualTo(phone.userId());
            assertThat(told.userName()).isEqualTo("bob");
            assertThat(told.seq()).isEqualTo(1);
            if (onPhone.isEmpty()) {
                assertThat(phone.next(ReadPositionChanged.class).readUpTo()).isEqualTo(first);
            } else {
                assertThat(onPhone).singleElement().isInstanceOf(ReadPositionChanged.class);
            }

            laptop.send(new MarkReadRequest(null, "alice", null, 0));
            assertThat(laptop.next(MarkReadResponse.class).readUpTo()).as("never backwards").isEqualTo(first);
            alice.expectNothing(QUIET);

            laptop.send(new ConversationsRequest(null, null));
            ConversationInfo after = laptop.next(ConversationsResponse.class).conversations().get(0);
            assertThat(after.readUpTo()).isEqualTo(first);
            assertThat(after.unreadCount()).isEqualTo(1);
            assertThat(after.activeAt()).isEqualTo(2 * second);
        }
    }

    @Test
    void aReadPositionReachesAnOfflineDeviceInOrderWithMessages() throws Exception {
        String bobId;
        long hello;
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            bobId = bob.userId();
            alice.send(new MessageRequest(bobId, "hello", null, null));
            hello = alice.next(SendAck.class).messageId();
        }
        try (ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            bob.next(MessageResponse.class);
            bob.send(new MarkReadRequest(null, "alice", null, hello));
            bob.nextSkipping(MarkReadResponse.class, new ArrayList<>());
            bob.send(new MessageRequest(null, "hi back", null, "alice"));
            bob.nextSkipping(SendAck.class, new ArrayList<>());
        }
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice")) {
            ReadPositionChanged read = alice.next(ReadPositionChanged.class);
            MessageResponse reply = alice.next(MessageResponse.class);

            assertThat(read.seq()).isEqualTo(1);
            assertThat(read.peerId()).isEqualTo(bobId);
            assertThat(read.readUpTo()).isEqualTo(hello);
            assertThat(reply.seq()).isEqualTo(2);
            assertThat(reply.message()).isEqualTo("hi back");

            alice.send(new HistoryRequest(null, "bob", null, null, null));
            HistoryResponse history = alice.next(HistoryResponse.class);
            assertThat(history.peerReadUpTo()).as("bob's position, for marking alice's own messages read")
                    .isEqualTo(hello);
            assertThat(history.messages()).extracting(HistoryMessage::message).containsExactly("hi back", "hello");
        }
        try (ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            bob.send(new HistoryRequest(null, "alice", null, null, null));
            assertThat(bob.nextSkipping(HistoryResponse.class, new ArrayList<>()).peerReadUpTo())
                    .as("alice never marked the conversation read").isZero();
        }
    }

    @Test
    void aGroupsHistoryStartsWhereTheMemberJoinedAndReadCountsCountOthers() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob");
                ChatClient carol = ChatClient.login(server.port(), V2, "carol")) {
            alice.send(new CreateGroupRequest(null, List.of("bob")));
            String groupId = alice.next(CreateGroupResponse.class).groupId();
            bob.next(CreateGroupResponse.class);
            alice.send(new GroupMessageRequest(groupId, "before carol", null));
            List<Object> skipped = new ArrayList<>();
            long before = alice.nextSkipping(SendAck.class, skipped).messageId();
            bob.next(GroupMessageResponse.class);
            carol.send(new JoinGroupRequest(groupId));
            carol.next(JoinGroupResponse.class);
            bob.next(GroupMemberJoined.class);
            bob.send(new GroupMessageRequest(groupId, "after carol", null));
            long after = bob.nextSkipping(SendAck.class, skipped).messageId();
            carol.next(GroupMessageResponse.class);

            carol.send(new HistoryRequest(null, null, groupId, null, null));
            alice.send(new HistoryRequest(null, null, groupId, null, null));
            HistoryResponse carolsPage = carol.next(HistoryResponse.class);
            assertThat(carolsPage.peerReadUpTo()).as("a group has no one peer").isNull();
            List<HistoryMessage> carols = carolsPage.messages();
            List<HistoryMessage> alices = alice.nextSkipping(HistoryResponse.class, skipped).messages();
            assertThat(carols).as("from carol's own joining on").extracting(HistoryMessage::event)
                    .containsExactly(null, "joined");
            assertThat(carols.get(0).messageId()).isEqualTo(after);
            assertThat(alices).extracting(HistoryMessage::event).containsExactly(null, "joined", null, "created");
            assertThat(alices).filteredOn(m -> m.event() == null).extracting(HistoryMessage::messageId)
                    .containsExactly(after, before);

            bob.send(new MarkReadRequest(null, null, groupId, after));
            bob.nextSkipping(MarkReadResponse.class, skipped);
            carol.expectNothingButPresence(QUIET); // no push per reader to the others
            alice.send(new ReadCountRequest(groupId, before));
            ReadCountResponse count = alice.nextSkipping(ReadCountResponse.class, skipped);
            assertThat(count.readCount()).isEqualTo(1);
            assertThat(count.messageId()).isEqualTo(before);
        }
    }

    @Test
    void everyBadRequestGetsItsError() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            bob.send(new CreateGroupRequest(null, List.of()));
            String bobsGroup = bob.next(CreateGroupResponse.class).groupId();

            assertThat(alice.errorCodeOf(new HistoryRequest(null, null, null, null, null))).isEqualTo("BAD_REQUEST");
            assertThat(alice.errorCodeOf(new HistoryRequest(bob.userId(), null, bobsGroup, null, null)))
                    .isEqualTo("BAD_REQUEST");
            assertThat(alice.errorCodeOf(new HistoryRequest(null, "bob", null, null, 0))).isEqualTo("BAD_REQUEST");
            assertThat(alice.errorCodeOf(new HistoryRequest(null, "bob", null, null, 201))).isEqualTo("BAD_REQUEST");
            assertThat(alice.errorCodeOf(new HistoryRequest(null, "bob", null, -5L, null))).isEqualTo("BAD_REQUEST");
            assertThat(alice.errorCodeOf(new HistoryRequest(null, "ghost", null, null, null))).isEqualTo("NO_SUCH_USER");
            assertThat(alice.errorCodeOf(new HistoryRequest("NoSuchId00", null, null, null, null)))
                    .isEqualTo("NO_SUCH_USER");
            assertThat(alice.errorCodeOf(new HistoryRequest(null, null, "NoSuchGrp0", null, null)))
                    .isEqualTo("NO_SUCH_GROUP");
            assertThat(alice.errorCodeOf(new HistoryRequest(null, null, bobsGroup, null, null))).isEqualTo("NOT_A_MEMBER");
            assertThat(alice.errorCodeOf(new ConversationsRequest(0L, null))).isEqualTo("BAD_REQUEST");
            assertThat(alice.errorCodeOf(new ConversationsRequest(null, 1_000))).isEqualTo("BAD_REQUEST");
            assertThat(alice.errorCodeOf(new MarkReadRequest(null, "bob", null, -1))).isEqualTo("BAD_REQUEST");
            assertThat(alice.errorCodeOf(new MarkReadRequest(null, null, bobsGroup, 1))).isEqualTo("NOT_A_MEMBER");
            assertThat(alice.errorCodeOf(new MarkReadRequest(null, "ghost", null, 1))).isEqualTo("NO_SUCH_USER");
            assertThat(alice.errorCodeOf(new ReadCountRequest(null, 1))).isEqualTo("BAD_REQUEST");
            assertThat(alice.errorCodeOf(new ReadCountRequest(bobsGroup, 0))).isEqualTo("BAD_REQUEST");
            assertThat(alice.errorCodeOf(new ReadCountRequest(bobsGroup, 1))).isEqualTo("NOT_A_MEMBER");
            assertThat(alice.errorCodeOf(new ReadCountRequest("NoSuchGrp0", 1))).isEqualTo("NO_SUCH_GROUP");

            alice.send(new ConversationsRequest(null, null));
            assertThat(alice.next(ConversationsResponse.class).conversations()).as("refusals leave nothing").isEmpty();
        }
    }

    @Test
    void aVersion1ConnectionGetsNoneOfTheseCommandsNorTheirEvents() throws Exception {
        try (ChatClient tutorial = ChatClient.login(server.port(), V1, "old");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            tutorial.send(new HistoryRequest(null, "bob", null, null, null));
            tutorial.send(new HeartBeatRequest());
            assertThat(tutorial.next()).as("refused without a reply, as v1 refusals are")
                    .isInstanceOf(HeartBeatResponse.class);

            tutorial.send(new MessageRequest(bob.userId(), "from the tutorial", null, null));
            long fromOld = bob.next(MessageResponse.class).messageId();
            bob.send(new MarkReadRequest(tutorial.userId(), null, null, fromOld));
            bob.nextSkipping(MarkReadResponse.class, new ArrayList<>());
            bob.send(new MessageRequest(tutorial.userId(), "after the read", null, null));
            bob.nextSkipping(SendAck.class, new ArrayList<>());

            MessageResponse only = tutorial.next(MessageResponse.class);
            assertThat(only.message()).as("the read event is skipped on v1").isEqualTo("after the read");
            assertThat(only.seq()).isNull();
            tutorial.expectNothing(QUIET);
        }
    }
}
