package dev.switchboard.im.client;

import dev.switchboard.im.protocol.ConversationInfo;
import dev.switchboard.im.protocol.ConversationsResponse;
import dev.switchboard.im.protocol.HistoryMessage;
import dev.switchboard.im.protocol.HistoryResponse;
import dev.switchboard.im.protocol.MarkReadResponse;
import dev.switchboard.im.protocol.MessageChangeResponse;
import dev.switchboard.im.protocol.MessageEdited;
import dev.switchboard.im.protocol.MessageRecalled;
import dev.switchboard.im.protocol.ReadCountResponse;
import dev.switchboard.im.protocol.ReadPositionChanged;
import java.util.List;
import com.google.inject.Inject;
import dev.switchboard.framework.Connection;
import dev.switchboard.framework.Handles;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.ErrorResponse;
import dev.switchboard.im.protocol.GroupChangeResponse;
import dev.switchboard.im.protocol.GroupChanged;
import dev.switchboard.im.protocol.GroupInfoResponse;
import dev.switchboard.im.protocol.GroupMemberInfo;
import dev.switchboard.im.protocol.GroupSummary;
import dev.switchboard.im.protocol.MyGroupsResponse;
import dev.switchboard.im.protocol.GroupMemberJoined;
import dev.switchboard.im.protocol.GroupMemberQuit;
import dev.switchboard.im.protocol.GroupMessageResponse;
import dev.switchboard.im.protocol.HeartBeatResponse;
import dev.switchboard.im.protocol.JoinGroupResponse;
import dev.switchboard.im.protocol.ListGroupMembersResponse;
import dev.switchboard.im.protocol.LoginResponse;
import dev.switchboard.im.protocol.LogoutResponse;
import dev.switchboard.im.protocol.Member;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.PresenceChanged;
import dev.switchboard.im.protocol.PresenceQueryResponse;
import dev.switchboard.im.protocol.PresenceVisibilityResponse;
import dev.switchboard.im.protocol.TypingNotice;
import dev.switchboard.im.protocol.QuitGroupResponse;
import dev.switchboard.im.protocol.SendAck;

/**
 * Everything the server sends the client: one handler per server-to-client packet (a packet without one would be
 * logged as a dispatch failure). Each notes the names it reveals, for completion, and hands the packet to the
 * {@link ChatSession}. Runs on the event loop; never blocks. Stateless apart from its collaborators.
 */
final class ClientHandlers {

    private final ChatSession session;
    private final KnownNames names;

    @Inject
    ClientHandlers(ChatSession session, KnownNames names) {
        this.session = session;
        this.names = names;
    }

    @Handles
    void message(MessageResponse message, Connection connection) {
        names.user(message.fromUserId(), message.fromUserName());
        session.delivered(message, connection);
    }

    @Handles
    void groupMessage(GroupMessageResponse message, Connection connection) {
        names.group(message.fromGroupId());
        learn(message.fromUser());
        session.delivered(message, names.groupNameOf(message.fromGroupId()), connection);
    }

    @Handles
    void sendAck(SendAck ack) {
        session.acked(ack);
    }

    @Handles
    void groupCreated(CreateGroupResponse response) {
        names.group(response.groupId(), response.groupName());
        names.users(response.userNameList());
        session.replied(response, EventPrinter.groupCreated(response));
    }

    @Handles
    void joined(JoinGroupResponse response) {
        if (response.success()) {
            names.group(response.groupId());
        }
        session.replied(response, EventPrinter.joined(response, names.groupNameOf(response.groupId())));
    }

    @Handles
    void quit(QuitGroupResponse response) {
        session.replied(response, EventPrinter.quit(response, names.groupNameOf(response.groupId())));
    }

    @Handles
    void members(ListGroupMembersResponse response) {
        if (response.sessionList() != null) {
            response.sessionList().forEach(this::learn);
        }
        session.replied(response, EventPrinter.members(response, names.groupNameOf(response.groupId())));
    }

    @Handles
    void memberJoined(GroupMemberJoined event) {
        learn(event.user());
        session.print(EventPrinter.memberJoined(event, names.groupNameOf(event.groupId())));
    }

    @Handles
    void groupEvent(GroupChanged event, Connection connection) {
        // Printed with the name known before the event, so that a rename shows the old name and the new.
        String before = names.groupNameOf(event.groupId());
        names.group(event.groupId(), event.groupName()); // only created and renamed carry a name
        learn(event.by());
        learn(event.user());
        session.deliveredEvent(event.seq(), connection,
                EventPrinter.groupEvent(event, before != null ? before : event.groupName()));
    }

    @Handles
    void groupChange(GroupChangeResponse response) {
        session.replied(response, EventPrinter.groupChange(response, names.groupNameOf(response.groupId())));
    }

    @Handles
    void myGroups(MyGroupsResponse response) {
        List<GroupSummary> groups = response.groups() == null ? List.of() : response.groups();
        groups.forEach(g -> names.group(g.groupId(), g.groupName()));
        session.replied(response, EventPrinter.myGroups(response));
        groups.forEach(g -> session.print(EventPrinter.groupSummary(g)));
    }

    @Handles
    void groupInfo(GroupInfoResponse response) {
        List<GroupMemberInfo> members = response.members() == null ? List.of() : response.members();
        names.group(response.groupId(), response.groupName());
        members.forEach(m -> names.user(m.userId(), m.userName()));
        session.replied(response, EventPrinter.groupInfo(response));
        members.forEach(m -> session.print(EventPrinter.groupMember(response, m)));
    }

    @Handles
    void memberQuit(GroupMemberQuit event) {
        session.print(EventPrinter.memberQuit(event, names.groupNameOf(event.groupId())));
    }

    @Handles
    void typing(TypingNotice notice) {
        names.user(notice.fromUserName());
        names.group(notice.groupId());
        session.print(EventPrinter.typing(notice, names.groupNameOf(notice.groupId()), EventPrinter.LOCAL));
    }

    @Handles
    void presenceChanged(PresenceChanged event) {
        learn(event.user());
        session.print(EventPrinter.presenceChanged(event, EventPrinter.LOCAL));
    }

    @Handles
    void presence(PresenceQueryResponse response) {
        if (response.users() != null) {
            response.users().forEach(this::learn);
        }
        session.replied(response, EventPrinter.presence(response));
    }

    @Handles
    void visibility(PresenceVisibilityResponse response) {
        session.replied(response, EventPrinter.visibility(response));
    }

    @Handles
    void loggedOut(LogoutResponse response) {
        session.loggedOut(response);
    }

    @Handles
    void login(LoginResponse response) {
        session.unsolicited(response);
    }

    @Handles
    void error(ErrorResponse error) {
        session.failed(error);
    }

    /** Heartbeat answers only keep the connection's reader-idle timer quiet. */
    @Handles
    void heartBeat(HeartBeatResponse response) {
        // Nothing to show: receiving it was the point.
    }

    @Handles
    void history(HistoryResponse response) {
        List<HistoryMessage> messages = response.messages() == null ? List.of() : response.messages();
        names.user(response.peerId(), response.peerName());
        messages.forEach(m -> names.user(m.fromUserId(), m.fromUserName()));
        if (response.groupId() != null) {
            names.group(response.groupId());
        }
        session.replied(response, EventPrinter.history(response, name(response.peerId(), response.groupId())));
        messages.forEach(m -> session.print(EventPrinter.historyMessage(m, response)));
    }

    @Handles
    void conversations(ConversationsResponse response) {
        List<ConversationInfo> list = response.conversations() == null ? List.of() : response.conversations();
        for (ConversationInfo c : list) {
            names.user(c.peerId(), c.peerName());
            if (c.groupId() != null) {
                names.group(c.groupId());
            }
        }
        session.replied(response, EventPrinter.conversations(response));
        list.forEach(c -> session.print(EventPrinter.conversation(c, names.groupNameOf(c.groupId()))));
    }

    /** Comes through the inbox: it has a seq, is acknowledged and dropped when repeated, like a message. */
    @Handles
    void readPosition(ReadPositionChanged event, Connection connection) {
        names.user(event.userId(), event.userName());
        session.deliveredEvent(event.seq(), connection, EventPrinter.read(event, name(event.peerId(), event.groupId())));
    }

    @Handles
    void edited(MessageEdited event, Connection connection) {
        names.user(event.fromUserId(), event.fromUserName());
        session.deliveredEvent(event.seq(), connection, EventPrinter.edited(event, name(event.peerId(), event.groupId())));
    }

    @Handles
    void recalled(MessageRecalled event, Connection connection) {
        names.user(event.fromUserId(), event.fromUserName());
        session.deliveredEvent(event.seq(), connection, EventPrinter.recalled(event, name(event.peerId(), event.groupId())));
    }

    @Handles
    void changed(MessageChangeResponse response) {
        session.replied(response, EventPrinter.changed(response));
    }

    @Handles
    void readMarked(MarkReadResponse response) {
        names.user(response.peerId(), response.peerName());
        session.replied(response, EventPrinter.readMarked(response, name(response.peerId(), response.groupId())));
    }

    @Handles
    void readCount(ReadCountResponse response) {
        session.replied(response, EventPrinter.readCount(response, names.groupNameOf(response.groupId())));
    }

    /** The name to show for a conversation: the peer's for a direct one, the group's for a group; or null. */
    private String name(String peerId, String groupId) {
        return peerId != null ? names.nameOf(peerId) : names.groupNameOf(groupId);
    }

    private void learn(Member member) {
        if (member != null) {
            names.user(member.userId(), member.userName());
        }
    }
}
