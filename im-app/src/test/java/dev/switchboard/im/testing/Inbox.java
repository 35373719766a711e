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
