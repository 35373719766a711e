package dev.switchboard.im.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.ErrorResponse;
import dev.switchboard.im.protocol.GroupMemberJoined;
import dev.switchboard.im.protocol.GroupMemberQuit;
import dev.switchboard.im.protocol.GroupMessageRequest;
import dev.switchboard.im.protocol.GroupMessageResponse;
import dev.switchboard.im.protocol.HeartBeatRequest;
import dev.switchboard.im.protocol.HeartBeatResponse;
import dev.switchboard.im.protocol.JoinGroupRequest;
import dev.switchboard.im.protocol.JoinGroupResponse;
import dev.switchboard.im.protocol.ListGroupMembersRequest;
import dev.switchboard.im.protocol.ListGroupMembersResponse;
import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.LoginResponse;
import dev.switchboard.im.protocol.LogoutRequest;
import dev.switchboard.im.protocol.LogoutResponse;
import dev.switchboard.im.protocol.Member;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.QuitGroupRequest;
import dev.switchboard.im.protocol.QuitGroupResponse;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.testing.ChatClient;
import dev.switchboard.im.testing.RunningServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every command of protocol version 2 over real loopback sockets, on the in-memory store. */
class ChatV2EndToEndTest {

    private static final int V2 = 2;
    @RegisterExtension
    final RunningServer server = new RunningServer();

    @Test
    void loginGivesStableIdAndToken() throws Exception {
        String firstId;
        try (ChatClient alice = ChatClient.connect(server.port(), V2)) {
            LoginResponse first = alice.loginWith(LoginRequest.withPassword("alice", "secret"));
            assertThat(first.success()).isTrue();
            assertThat(first.userName()).isEqualTo("alice");
            assertThat(first.token()).isNotBlank();
            firstId = first.userId();
        }
        try (ChatClient again = ChatClient.connect(server.port(), V2)) {
            LoginResponse second = again.loginWith(LoginRequest.withPassword("alice", "secret"));
            assertThat(second.userId()).isEqualTo(firstId);
        }
    }

    @Test
    void wrongPasswordIsRefusedWithGenericReason() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient intruder = ChatClient.connect(server.port(), V2)) {
            LoginResponse response = intruder.loginWith(LoginRequest.withPassword("alice", "guess"));
            assertThat(response.success()).isFalse();
            assertThat(response.reason()).isEqualTo("wrong user name or password");
            assertThat(response.userId()).isNull();
        }
    }

    @Test
    void resumeTokenLogsInWithoutPassword() throws Exception {
        String token;
        try (ChatClient alice = ChatClient.connect(server.port(), V2)) {
            token = alice.loginWith(LoginRequest.withPassword("alice", "secret")).token();
        }
        try (ChatClient device = ChatClient.connect(server.port(), V2)) {
            LoginResponse resumed = device.loginWith(new LoginRequest("alice", null, token, null));
            assertThat(resumed.success()).isTrue();
            LoginResponse forged = device.loginWith(new LoginRequest("alice", null, "not-a-token", null));
            assertThat(forged.success()).isFalse();
        }
    }

    @Test
    void tokensAreExchangedAtEachLoginAndRevokedAtLogout() throws Exception {
        String first;
        try (ChatClient alice = ChatClient.connect(server.port(), V2)) {
            first = alice.loginWith(LoginRequest.withPassword("alice", "secret")).token();
        }
        String second;
        try (ChatClient device = ChatClient.connect(server.port(), V2)) {
            second = device.loginWith(new LoginRequest("alice", null, first, null)).token();
            assertThat(second).isNotEqualTo(first);
            assertThat(device.loginWith(new LoginRequest("alice", null, first, null)).success())
                    .as("a used token is spent").isFalse();
            String third = device.loginWith(new LoginRequest("alice", null, second, null)).token();
            device.send(new LogoutRequest());
            device.next(LogoutResponse.class);
            assertThat(device.loginWith(new LoginRequest("alice", null, third, null)).success())
                    .as("logout revokes the connection's token").isFalse();
        }
    }

    @Test
    void aTokenLoginClosesTheConnectionTheTokenWasIssuedTo() throws Exception {
        try (ChatClient stale = ChatClient.connect(server.port(), V2);
                ChatClient resumed = ChatClient.connect(server.port(), V2);
                ChatClient other = ChatClient.login(server.port(), V2, "alice")) {
            String token = stale.loginWith(LoginRequest.withPassword("alice", "pw-alice")).token();
            assertThat(resumed.loginWith(new LoginRequest("alice", null, token, null)).success()).isTrue();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (stale.isConnected() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(stale.isConnected()).as("the connection issued the spent token").isFalse();
            assertThat(other.isConnected()).as("other devices of the account stay").isTrue();
        }
    }

    @Test
    void logoutAllClosesTheOtherDevicesAndRevokesEveryToken() throws Exception {
        try (ChatClient phone = ChatClient.connect(server.port(), V2);
                ChatClient laptop = ChatClient.connect(server.port(), V2);
                ChatClient device = ChatClient.connect(server.port(), V2)) {
            String phoneToken = phone.loginWith(LoginRequest.withPassword("alice", "pw-alice")).token();
            laptop.loginWith(LoginRequest.withPassword("alice", "pw-alice"));
            device.send(new dev.switchboard.im.protocol.LogoutAllRequest());
            assertThat(device.next(dev.switchboard.im.protocol.ErrorResponse.class).code())
                    .as("not logged in: refused").isEqualTo(dev.switchboard.im.protocol.ErrorCode.NOT_LOGGED_IN.name());

            device.loginWith(LoginRequest.withPassword("alice", "pw-alice"));
            device.send(new dev.switchboard.im.protocol.LogoutAllRequest());
            dev.switchboard.im.protocol.LogoutAllResponse done =
                    device.next(dev.switchboard.im.protocol.LogoutAllResponse.class);
            assertThat(done.closedConnections()).isEqualTo(2);
            assertThat(done.revokedTokens()).isEqualTo(3);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while ((phone.isConnected() || laptop.isConnected()) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(phone.isConnected()).isFalse();
            assertThat(laptop.isConnected()).isFalse();
            assertThat(device.loginWith(new LoginRequest("alice", null, phoneToken, null)).success())
                    .as("the phone's token").isFalse();
        }
    }

    @Test
    void twoLoginsRacingWithOneTokenLetExactlyOneIn() throws Exception {
        String token;
        try (ChatClient alice = ChatClient.connect(server.port(), V2)) {
            token = alice.loginWith(LoginRequest.withPassword("alice", "pw-alice")).token();
        }
        try (ChatClient first = ChatClient.connect(server.port(), V2);
                ChatClient second = ChatClient.connect(server.port(), V2)) {
            first.send(new LoginRequest("alice", null, token, null));
            second.send(new LoginRequest("alice", null, token, null));
            boolean firstIn = first.next(LoginResponse.class).success();
            boolean secondIn = second.next(LoginResponse.class).success();
            assertThat(firstIn ^ secondIn).as("exactly one login spends the token").isTrue();
        }
    }

    @Test
    void aLastSeqBeyondTheInboxIsCapped() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.connect(server.port(), V2)) {
            bob.loginWith(new LoginRequest("bob", "pw-bob", null, 1_000L));
            alice.send(new MessageRequest(bob.userId(), "still delivered", "c1", null));
            MessageResponse delivered = bob.next(MessageResponse.class);
            assertThat(delivered.seq()).isEqualTo(1L);
        }
    }

    @Test
    void directMessageIsAckedAndDeliveredWithSeq() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            alice.send(new MessageRequest(bob.userId(), "hello bob", "m1", null));
            SendAck ack = alice.next(SendAck.class);
            assertThat(ack.clientMsgId()).isEqualTo("m1");
            MessageResponse delivered = bob.next(MessageResponse.class);
            assertThat(delivered.fromUserId()).isEqualTo(alice.userId());
            assertThat(delivered.fromUserName()).isEqualTo("alice");
            assertThat(delivered.message()).isEqualTo("hello bob");
            assertThat(delivered.seq()).isEqualTo(1L);
            assertThat(delivered.messageId()).isEqualTo(ack.messageId());
            assertThat(delivered.timestamp()).isEqualTo(ack.timestamp());

            alice.send(new MessageRequest(null, "by name", "m2", "bob"));
            alice.next(SendAck.class);
            assertThat(bob.next(MessageResponse.class).seq()).isEqualTo(2L);
        }
    }

    @Test
    void retriedClientMsgIdIsStoredAndDeliveredOnce() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            alice.send(new MessageRequest(bob.userId(), "once", "same-id", null));
            SendAck first = alice.next(SendAck.class);
            alice.send(new MessageRequest(bob.userId(), "once", "same-id", null));
            SendAck retried = alice.next(SendAck.class);
            assertThat(retried).isEqualTo(first);
            assertThat(bob.next(MessageResponse.class).seq()).isEqualTo(1L);
            bob.expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    void unknownUserGetsError() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice")) {
            alice.send(new MessageRequest("nobody", "hi", "m1", null));
            ErrorResponse error = alice.next(ErrorResponse.class);
            assertThat(error.code()).isEqualTo("NO_SUCH_USER");
            assertThat(error.requestCommand()).isEqualTo(3);
            assertThat(error.reason()).contains("nobody");
            alice.send(new HeartBeatRequest());
            assertThat(alice.next()).isInstanceOf(HeartBeatResponse.class);
        }
    }

    @Test
    void offlineMessagesArriveInOrderAtNextLoginBeforeLiveOnes() throws Exception {
        String bobId;
        try (ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            bobId = bob.userId();
        }
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice")) {
            for (int i = 1; i <= 20; i++) {
                alice.send(new MessageRequest(bobId, "offline " + i, "o" + i, null));
            }
            alice.next(SendAck.class, 20);
            try (ChatClient bob = ChatClient.connect(server.port(), V2)) {
                bob.loginWith(LoginRequest.withPassword("bob", "pw-bob"));
                alice.send(new MessageRequest(bobId, "live", "l1", null));
                List<MessageResponse> all = bob.next(MessageResponse.class, 21);
                for (int i = 0; i < 20; i++) {
                    assertThat(all.get(i).message()).isEqualTo("offline " + (i + 1));
                    assertThat(all.get(i).seq()).isEqualTo(i + 1L);
                }
                assertThat(all.get(20).message()).isEqualTo("live");
                assertThat(all.get(20).seq()).isEqualTo(21L);
            }
        }
    }

    @Test
    void unackedMessagesAreResentAfterReconnectAndLastSeqResumes() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice")) {
            String bobId;
            try (ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
                bobId = bob.userId();
                for (int i = 1; i <= 3; i++) {
                    alice.send(new MessageRequest(bobId, "m" + i, "c" + i, null));
                }
                bob.next(MessageResponse.class, 3);
                bob.ack(1);
                bob.send(new HeartBeatRequest());
                bob.next(HeartBeatResponse.class);
            }
            alice.next(SendAck.class, 3);
            try (ChatClient bob = ChatClient.connect(server.port(), V2)) {
                bob.loginWith(LoginRequest.withPassword("bob", "pw-bob"));
                List<MessageResponse> resent = bob.next(MessageResponse.class, 2);
                assertThat(resent).extracting(MessageResponse::seq).containsExactly(2L, 3L);
            }
            try (ChatClient bob = ChatClient.connect(server.port(), V2)) {
                // lastSeq wins over the account's acknowledged position (1).
                bob.loginWith(new LoginRequest("bob", "pw-bob", null, 2L));
                assertThat(bob.next(MessageResponse.class).seq()).isEqualTo(3L);
                bob.expectNothing(Duration.ofMillis(200));
            }
        }
    }

    @Test
    void everyDeviceOfAUserGetsDeliveries() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient phone = ChatClient.login(server.port(), V2, "bob");
                ChatClient laptop = ChatClient.login(server.port(), V2, "bob")) {
            alice.send(new MessageRequest(phone.userId(), "to both", "m1", null));
            assertThat(phone.next(MessageResponse.class).message()).isEqualTo("to both");
            assertThat(laptop.next(MessageResponse.class).message()).isEqualTo("to both");
        }
    }

    @Test
    void groupLifecycle() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob");
                ChatClient carol = ChatClient.login(server.port(), V2, "carol")) {
            alice.send(new CreateGroupRequest(null, List.of("bob")));
            CreateGroupResponse created = alice.next(CreateGroupResponse.class);
            assertThat(created.success()).isTrue();
            assertThat(created.userNameList()).containsExactly("alice", "bob");
            assertThat(bob.next(CreateGroupResponse.class).groupId()).isEqualTo(created.groupId());
            String group = created.groupId();

            carol.send(new JoinGroupRequest(group));
            assertThat(carol.next(JoinGroupResponse.class).success()).isTrue();
            assertThat(alice.next(GroupMemberJoined.class).user().userName()).isEqualTo("carol");
            assertThat(bob.next(GroupMemberJoined.class).user().userName()).isEqualTo("carol");
            carol.send(new JoinGroupRequest(group));
            assertThat(carol.next(JoinGroupResponse.class).success()).as("join is idempotent").isTrue();

            bob.send(new ListGroupMembersRequest(group));
            ListGroupMembersResponse members = bob.next(ListGroupMembersResponse.class);
            assertThat(members.sessionList()).extracting(Member::userName).containsExactly("alice", "bob", "carol");
            assertThat(members.sessionList()).extracting(Member::online).containsOnly(true);

            alice.send(new GroupMessageRequest(group, "hi all", "g1"));
            // The sender is a member too; its delivery and its SendAck may come in either order.
            assertThat(List.of(alice.next(), alice.next())).hasAtLeastOneElementOfType(SendAck.class)
                    .hasAtLeastOneElementOfType(GroupMessageResponse.class);
            GroupMessageResponse atBob = bob.next(GroupMessageResponse.class);
            assertThat(atBob.fromGroupId()).isEqualTo(group);
            assertThat(atBob.fromUser().userName()).isEqualTo("alice");
            assertThat(carol.next(GroupMessageResponse.class).message()).isEqualTo("hi all");

            carol.send(new QuitGroupRequest(group));
            assertThat(carol.next(QuitGroupResponse.class).success()).isTrue();
            assertThat(alice.next(GroupMemberQuit.class).user().userName()).isEqualTo("carol");
            bob.next(GroupMemberQuit.class);
            carol.send(new GroupMessageRequest(group, "let me in", "g2"));
            assertThat(carol.next(ErrorResponse.class).code()).isEqualTo("NOT_A_MEMBER");
            carol.send(new QuitGroupRequest(group));
            assertThat(carol.next(ErrorResponse.class).code()).isEqualTo("NOT_A_MEMBER");
            carol.send(new ListGroupMembersRequest(group));
            assertThat(carol.next(ErrorResponse.class).code()).isEqualTo("NOT_A_MEMBER");

            alice.send(new QuitGroupRequest(group));
            alice.next(QuitGroupResponse.class);
            bob.next(GroupMemberQuit.class);
            bob.send(new QuitGroupRequest(group));
            bob.next(QuitGroupResponse.class);
            bob.send(new JoinGroupRequest(group));
            assertThat(bob.next(ErrorResponse.class).code()).as("empty group deleted").isEqualTo("NO_SUCH_GROUP");
        }
    }

    @Test
    void groupErrorsNameTheProblem() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice")) {
            alice.send(new CreateGroupRequest(null, List.of("ghost", "phantom")));
            ErrorResponse unknown = alice.next(ErrorResponse.class);
            assertThat(unknown.code()).isEqualTo("NO_SUCH_USER");
            assertThat(unknown.reason()).contains("ghost").contains("phantom");
            for (Object request : List.of(new JoinGroupRequest("nope"), new QuitGroupRequest("nope"),
                    new ListGroupMembersRequest("nope"), new GroupMessageRequest("nope", "x", "c"))) {
                alice.send(request);
                ErrorResponse error = alice.next(ErrorResponse.class);
                assertThat(error.code()).as("%s", request).isEqualTo("NO_SUCH_GROUP");
                assertThat(error.reason()).contains("nope");
            }
        }
    }

    @Test
    void pushesSentRightAfterALoginReachTheNewSession() throws Exception {
        // Regression: the session used to be registered after the LoginResponse was written, so a push in that
        // window (here the CreateGroupResponse to a member) could be lost. Repeated to give the race a chance.
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice")) {
            for (int i = 0; i < 40; i++) {
                try (ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
                    alice.send(new CreateGroupRequest(List.of(bob.userId()), null));
                    String group = alice.next(CreateGroupResponse.class).groupId();
                    assertThat(bob.next(CreateGroupResponse.class).groupId()).as("attempt %d", i).isEqualTo(group);
                }
            }
        }
    }

    @Test
    void groupMessagesReachOfflineMembersInOrder() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice")) {
            String group;
            try (ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
                alice.send(new CreateGroupRequest(List.of(bob.userId()), null));
                group = alice.next(CreateGroupResponse.class).groupId();
                bob.next(CreateGroupResponse.class);
            }
            for (int i = 1; i <= 5; i++) {
                alice.send(new GroupMessageRequest(group, "g" + i, "c" + i));
                alice.next();
                alice.next();
            }
            try (ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
                assertThat(bob.next(GroupMessageResponse.class, 5)).extracting(GroupMessageResponse::message)
                        .containsExactly("g1", "g2", "g3", "g4", "g5");
            }
        }
    }

    @Test
    void logoutPutsTheGateBack() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice")) {
            alice.send(new LogoutRequest());
            assertThat(alice.next(LogoutResponse.class).success()).isTrue();
            alice.send(new MessageRequest(alice.userId(), "still here?", "x", null));
            assertThat(alice.next(ErrorResponse.class).code()).isEqualTo("NOT_LOGGED_IN");
            alice.send(new HeartBeatRequest());
            assertThat(alice.next()).isInstanceOf(HeartBeatResponse.class);
            assertThat(alice.loginWith(LoginRequest.withPassword("alice", "pw-alice")).success()).isTrue();
        }
    }

    @Test
    void requestsBeforeLoginAreRefused() throws Exception {
        try (ChatClient anonymous = ChatClient.connect(server.port(), V2)) {
            anonymous.send(new MessageRequest("x", "hi", "c", null));
            ErrorResponse error = anonymous.next(ErrorResponse.class);
            assertThat(error.code()).isEqualTo("NOT_LOGGED_IN");
            assertThat(error.requestCommand()).isEqualTo(3);
        }
    }
}
