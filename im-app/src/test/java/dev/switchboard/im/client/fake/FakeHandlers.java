package dev.switchboard.im.client.fake;

import com.google.inject.Inject;
import dev.switchboard.framework.Connection;
import dev.switchboard.framework.Handles;
import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.DeliveryAck;
import dev.switchboard.im.protocol.ErrorCode;
import dev.switchboard.im.protocol.ErrorResponse;
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
import dev.switchboard.im.protocol.MyGroupsRequest;
import dev.switchboard.im.protocol.MyGroupsResponse;
import dev.switchboard.im.protocol.QuitGroupRequest;
import dev.switchboard.im.protocol.QuitGroupResponse;
import dev.switchboard.im.protocol.SendAck;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fake server's handlers: logs in {@link FakeState#PASSWORD} or an issued token, acknowledges messages
 * (message ids from 100), rejects messages to "nobody", creates group "g1", and records everything. Every request a
 * client sends on its own (a v2 client asks for its groups after each login) is answered, as the real server
 * answers it: this fake has no error handler, so a request without a handler here would go unanswered and the
 * client would wait out its request timeout.
 */
final class FakeHandlers {

    private final FakeState state;
    private final AtomicLong messageIds = new AtomicLong(100);

    @Inject
    FakeHandlers(FakeState state) {
        this.state = state;
    }

    @Handles
    CompletionStage<LoginResponse> login(LoginRequest request, Connection connection) {
        long delay = state.loginReplyDelay.toMillis();
        if (delay == 0) {
            return CompletableFuture.completedFuture(answer(request, connection));
        }
        return CompletableFuture.supplyAsync(() -> answer(request, connection),
                CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, connection::execute));
    }

    private LoginResponse answer(LoginRequest request, Connection connection) {
        state.logins.add(request);
        boolean ok = request.token() != null
                ? state.acceptTokens && state.tokens.contains(request.token())
                : FakeState.PASSWORD.equals(request.password());
        if (!ok) {
            return LoginResponse.failed(request.token() != null ? "unknown token" : "wrong password");
        }
        connection.authenticate(request.userName());
        state.connection = connection;
        String token = null;
        if (connection.protocolVersion() >= 2) {
            token = UUID.randomUUID().toString();
            state.tokens.add(token);
        }
        return new LoginResponse(true, null, "u-" + request.userName(), request.userName(), token);
    }

    @Handles
    HeartBeatResponse heartBeat(HeartBeatRequest request) {
        return new HeartBeatResponse();
    }

    @Handles
    Object message(MessageRequest request, Connection connection) {
        state.requests.add(request);
        if ("nobody".equals(request.toUserName())) {
            return ErrorResponse.of(3, ErrorCode.NO_SUCH_USER, "no user named nobody");
        }
        if (connection.protocolVersion() < 2 || !state.ackMessages) {
            return null;
        }
        return new SendAck(request.clientMsgId(), messageIds.incrementAndGet(), System.currentTimeMillis());
    }

    @Handles
    Object groupMessage(GroupMessageRequest request, Connection connection) {
        state.requests.add(request);
        if (connection.protocolVersion() < 2) {
            Member self = Member.of("u-" + connection.principal().orElse("?"), "" + connection.principal()
                    .orElse("?"));
            return new GroupMessageResponse(request.toGroupId(), self, request.message(), null, null, null);
        }
        return new SendAck(request.clientMsgId(), messageIds.incrementAndGet(), System.currentTimeMillis());
    }

    @Handles
    CreateGroupResponse createGroup(CreateGroupRequest request) {
        state.requests.add(request);
        List<String> members = request.userNameList() != null ? request.userNameList() : request.userIdList();
        return new CreateGroupResponse(true, "g1", members, null);
    }

    @Handles
    JoinGroupResponse join(JoinGroupRequest request) {
        state.requests.add(request);
        return new JoinGroupResponse(request.groupId(), true, null);
    }

    @Handles
    QuitGroupResponse quit(QuitGroupRequest request) {
        state.requests.add(request);
        boolean member = !"nope".equals(request.groupId());
        return new QuitGroupResponse(request.groupId(), member, member ? null : "not a member");
    }

    @Handles
    ListGroupMembersResponse members(ListGroupMembersRequest request) {
        state.requests.add(request);
        return new ListGroupMembersResponse(request.groupId(),
                List.of(new Member("u-alice", "alice", true), new Member("u-bob", "bob", false)));
    }

    @Handles
    MyGroupsResponse myGroups(MyGroupsRequest request) {
        state.requests.add(request);
        return new MyGroupsResponse(List.of());
    }

    @Handles
    LogoutResponse logout(LogoutRequest request, Connection connection) {
        state.requests.add(request);
        connection.logout();
        return new LogoutResponse(true, null);
    }

    @Handles
    void deliveryAck(DeliveryAck ack) {
        state.ack(ack);
    }
}
