package dev.switchboard.im.testing;

import dev.switchboard.framework.Handles;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.ErrorResponse;
import dev.switchboard.im.protocol.GroupMemberJoined;
import dev.switchboard.im.protocol.GroupMemberQuit;
import dev.switchboard.im.protocol.GroupMessageResponse;
import dev.switchboard.im.protocol.HeartBeatResponse;
import dev.switchboard.im.protocol.JoinGroupResponse;
import dev.switchboard.im.protocol.ListGroupMembersResponse;
import dev.switchboard.im.protocol.LoginResponse;
import dev.switchboard.im.protocol.LogoutResponse;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.QuitGroupResponse;
import dev.switchboard.im.protocol.SendAck;
import jakarta.inject.Singleton;
import java.util.concurrent.LinkedBlockingQueue;

/** Collects every packet the server pushes to a test client, in arrival order. */
@Singleton
public final class Inbox {

    final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
    /** Group events (48) apart, so tests that do not look for them see the packets they always saw. */
    final LinkedBlockingQueue<dev.switchboard.im.protocol.GroupChanged> groupEvents = new LinkedBlockingQueue<>();

    @Handles
    void on(dev.switchboard.im.protocol.GroupChanged packet) {
        groupEvents.add(packet);
    }

    @Handles
    void on(dev.switchboard.im.protocol.GroupChangeResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(dev.switchboard.im.protocol.MyGroupsResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(dev.switchboard.im.protocol.GroupInfoResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(LoginResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(MessageResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(LogoutResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(dev.switchboard.im.protocol.LogoutAllResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(CreateGroupResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(ListGroupMembersResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(JoinGroupResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(QuitGroupResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(GroupMessageResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(HeartBeatResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(SendAck packet) {
        received.add(packet);
    }

    @Handles
    void on(GroupMemberJoined packet) {
        received.add(packet);
    }

    @Handles
    void on(GroupMemberQuit packet) {
        received.add(packet);
    }

    @Handles
    void on(ErrorResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(dev.switchboard.im.protocol.HistoryResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(dev.switchboard.im.protocol.ConversationsResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(dev.switchboard.im.protocol.MarkReadResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(dev.switchboard.im.protocol.ReadPositionChanged packet) {
        received.add(packet);
    }

    @Handles
    void on(dev.switchboard.im.protocol.ReadCountResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(dev.switchboard.im.protocol.MessageEdited packet) {
        received.add(packet);
    }

    @Handles
    void on(dev.switchboard.im.protocol.MessageRecalled packet) {
        received.add(packet);
    }

    @Handles
    void on(dev.switchboard.im.protocol.MessageChangeResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(dev.switchboard.im.protocol.TypingNotice packet) {
        received.add(packet);
    }

    @Handles
    void on(dev.switchboard.im.protocol.PresenceChanged packet) {
        received.add(packet);
    }

    @Handles
    void on(dev.switchboard.im.protocol.PresenceQueryResponse packet) {
        received.add(packet);
    }

    @Handles
    void on(dev.switchboard.im.protocol.PresenceVisibilityResponse packet) {
        received.add(packet);
    }
}
