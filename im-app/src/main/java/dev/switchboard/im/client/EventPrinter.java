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
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
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
import java.util.List;
import java.util.StringJoiner;

/**
 * Turns packets into event lines: one line per event, {@code [kind] key=value ...}, stable enough to grep.
 * Free text ({@code text=}, {@code reason=}) always comes last and runs to the end of the line; backslash, CR and
 * LF in it are escaped as {@code \\}, {@code \r}, {@code \n}, and every other control or format character in any
 * field (ESC, bidirectional overrides) as {@code \\uXXXX}, so another user's name or text cannot drive the
 * terminal. Fields a v1 server leaves null are omitted; a missing value prints as {@code -}. Stateless.
 *
 * <pre>
 * [login] ok user=alice id=u1 via=password
 * [login] failed user=alice reason=wrong password
 * [message] from=bob(u2) seq=5 id=77 text=hello there
 * [group-message] group=g1 from=bob(u2) seq=6 id=78 text=hi all
 * [ack] clientMsgId=4f1c... messageId=77
 * [create-group] ok group=Night shift(g1) members=alice,bob
 * [join-group] ok group=g1            [quit-group] failed group=g1 reason=...
 * [members] group=g1 count=2 members=alice(u1):online,bob(u2):offline
 * [member-joined] group=g1 user=carol(u3)
 * [group-event] group=Day shift(g1) event=renamed by=bob(u2) at=2026-12-02T18:40:01 seq=7 id=80 name=Night shift
 * [group-change] ok command=kick group=Night shift(g1) changed=true
 * [groups] count=1                   (then one line per group, in the order you joined:)
 * [group] group=Night shift(g1) role=owner members=3 muted=false mutedMe=false
 * [group-info] group=Night shift(g1) muted=false count=2     (then one line per member, in join order:)
 * [group-member] group=Night shift(g1) user=alice(u1) role=owner muted=false online=true
 * [typing] from=bob(u2) at=14:03:07              (in a direct conversation with you)
 * [typing] group=g1 from=bob(u2) at=14:03:07
 * [presence] user=bob(u2) online at=14:03:07      (pushed when it changes)
 * [presence] count=2 users=bob(u2):online,zed(-):offline
 * [presence] hidden                               ([presence] shown)
 * [logout] ok
 * [error] request=3 code=NO_SUCH_USER clientMsgId=4f1c... reason=no user named zed
 * [history] with=bob(u2) count=2 more=true peerReadUpTo=76   (peerReadUpTo: direct conversations only)
 * [history-message] id=77 at=2026-12-02T18:40:01 from=bob(u2) text=hello there
 * [history-message] id=76 at=2026-12-02T18:39:58 from=alice(u1) read text=hi   (one's own, read by the peer)
 * [history-event] id=80 at=2026-12-02T18:40:01 event=kicked by=alice(u1) user=carol(u3)   (a group's history)
 * [conversation] with=bob(u2) unread=2 readUpTo=75 activeAt=154 last=77 at=2026-12-02T18:40:01 from=bob(u2) text=...
 * [conversations] count=1 more=false
 * [read] with=bob(u2) by=bob(u2) upTo=77 seq=8
 * [read-mark] with=bob(u2) upTo=77
 * [read-count] group=g1 message=78 count=3
 * [edited] with=bob(u2) id=77 by=bob(u2) at=2026-12-02T18:41:10 seq=9 text=hello there!
 * [recalled] with=group:g1 id=78 by=carol(u3) at=2026-12-02T18:41:30 seq=10
 * [change] ok id=77 at=2026-12-02T18:41:10
 * </pre>
 * History lines mark an edited message {@code edited=<time>} and a recalled one {@code recalled}. A group shows as
 * {@code name(id)} when the client has learnt its name ({@link KnownNames}), as its bare id otherwise; the callers
 * pass the name they know, or null.
 * Times ({@code at=}) are the server's timestamps in this machine's time zone.
 */
final class EventPrinter {

    /** The zone times are shown in: the machine's. */
    static final ZoneId LOCAL = ZoneId.systemDefault();

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private EventPrinter() {}

    static String loggedIn(LoginResponse response, boolean viaToken) {
        return "[login] ok user=" + value(response.userName()) + " id=" + value(response.userId()) + " via="
                + (viaToken ? "token" : "password");
    }

    static String loginFailed(String user, String reason) {
        return "[login] failed user=" + value(user) + " reason=" + text(reason);
    }

    /** A LoginResponse no login request was waiting for. */
    static String login(LoginResponse response) {
        return response.success() ? loggedIn(response, false) : loginFailed(response.userName(), response.reason());
    }

    static String message(MessageResponse m) {
        return "[message] from=" + user(m.fromUserName(), m.fromUserId()) + delivery(m.seq(), m.messageId())
                + " text=" + text(m.message());
    }

    static String groupMessage(GroupMessageResponse m, String groupName) {
        Member from = m.fromUser();
        return "[group-message] group=" + group(m.fromGroupId(), groupName) + " from="
                + (from == null ? "-" : user(from.userName(), from.userId())) + delivery(m.seq(), m.messageId())
                + " text=" + text(m.message());
    }

    static String sendAck(SendAck ack) {
        return "[ack] clientMsgId=" + value(ack.clientMsgId()) + " messageId=" + ack.messageId();
    }

    static String groupCreated(CreateGroupResponse r) {
        if (!r.success()) {
            return "[create-group] failed reason=" + text(r.reason());
        }
        return "[create-group] ok group=" + group(r.groupId(), r.groupName()) + " members=" + names(r.userNameList());
    }

    static String joined(JoinGroupResponse r, String groupName) {
        return outcome("join-group", r.success(), group(r.groupId(), groupName), r.reason());
    }

    static String quit(QuitGroupResponse r, String groupName) {
        return outcome("quit-group", r.success(), group(r.groupId(), groupName), r.reason());
    }

    static String members(ListGroupMembersResponse r, String groupName) {
        List<Member> list = r.sessionList() == null ? List.of() : r.sessionList();
        StringJoiner joined = new StringJoiner(",");
        for (Member member : list) {
            String entry = user(member.userName(), member.userId());
            if (member.online() != null) {
                entry += member.online() ? ":online" : ":offline";
            }
            joined.add(entry);
        }
        return "[members] group=" + group(r.groupId(), groupName) + " count=" + list.size() + " members=" + joined;
    }

    static String memberJoined(GroupMemberJoined event, String groupName) {
        return "[member-joined] group=" + group(event.groupId(), groupName) + " user=" + member(event.user());
    }

    /**
     * A stored group event (48), {@code [group-event] group=Crew(g1) event=renamed by=bob(u2) at=... seq=7 id=80
     * name=Night shift}: {@code groupName} is the name known before the event (a rename shows old and new).
     */
    static String groupEvent(GroupChanged event, String groupName) {
        return "[group-event] group=" + group(event.groupId(), groupName) + " event=" + value(event.event())
                + " by=" + member(event.by()) + (event.user() == null ? "" : " user=" + member(event.user()))
                + " at=" + time(event.timestamp()) + delivery(event.seq(), event.messageId())
                + (event.groupName() == null ? "" : " name=" + text(event.groupName()));
    }

    /** The answer to a group change (49 to 55); {@code changed=false} when it already was so. */
    static String groupChange(GroupChangeResponse r, String groupName) {
        return "[group-change] ok command=" + changeName(r.requestCommand()) + " group="
                + group(r.groupId(), groupName) + " changed=" + r.changed();
    }

    private static String changeName(int command) {
        return switch (command) {
            case 49 -> "rename";
            case 50 -> "addMembers";
            case 51 -> "kick";
            case 52 -> "role";
            case 53 -> "muteMember";
            case 54 -> "muteGroup";
            case 55 -> "transfer";
            default -> String.valueOf(command);
        };
    }

    /** The first line of the answer to {@code groups}; one {@link #groupSummary} line per group follows. */
    static String myGroups(MyGroupsResponse r) {
        return "[groups] count=" + (r.groups() == null ? 0 : r.groups().size());
    }

    static String groupSummary(GroupSummary g) {
        return "[group] group=" + group(g.groupId(), g.groupName()) + " role=" + value(g.role()) + " members="
                + g.memberCount() + " muted=" + g.muted() + " mutedMe=" + g.mutedMe();
    }

    /** The first line of the answer to {@code groupInfo}; one {@link #groupMember} line per member follows. */
    static String groupInfo(GroupInfoResponse r) {
        return "[group-info] group=" + group(r.groupId(), r.groupName()) + " muted=" + r.muted() + " count="
                + (r.members() == null ? 0 : r.members().size());
    }

    static String groupMember(GroupInfoResponse r, GroupMemberInfo m) {
        return "[group-member] group=" + group(r.groupId(), r.groupName()) + " user=" + user(m.userName(), m.userId())
                + " role=" + value(m.role()) + " muted=" + m.muted() + " online=" + m.online();
    }

    static String memberQuit(GroupMemberQuit event, String groupName) {
        return "[member-quit] group=" + group(event.groupId(), groupName) + " user=" + member(event.user());
    }

    static String typing(TypingNotice notice, String groupName, ZoneId zone) {
        return "[typing] " + (notice.groupId() == null ? "" : "group=" + group(notice.groupId(), groupName) + " ")
                + "from="
                + user(notice.fromUserName(), notice.fromUserId()) + " at=" + time(notice.timestamp(), zone);
    }

    static String presenceChanged(PresenceChanged event, ZoneId zone) {
        Member user = event.user();
        boolean online = user != null && Boolean.TRUE.equals(user.online());
        return "[presence] user=" + member(user) + (online ? " online" : " offline") + " at="
                + time(event.timestamp(), zone);
    }

    static String presence(PresenceQueryResponse r) {
        List<Member> list = r.users() == null ? List.of() : r.users();
        StringJoiner joined = new StringJoiner(",");
        for (Member member : list) {
            joined.add(member(member) + (Boolean.TRUE.equals(member.online()) ? ":online" : ":offline"));
        }
        return "[presence] count=" + list.size() + " users=" + (list.isEmpty() ? "-" : joined.toString());
    }

    static String visibility(PresenceVisibilityResponse r) {
        return r.hidden() ? "[presence] hidden" : "[presence] shown";
    }

    /** A server timestamp as the local wall-clock time, {@code HH:mm:ss}. */
    private static String time(long epochMillis, ZoneId zone) {
        return CLOCK.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }

    static String logout(LogoutResponse r) {
        return r.success() ? "[logout] ok" : "[logout] failed reason=" + text(r.reason());
    }

    /** @param clientMsgId the message the error answers, when known */
    static String error(ErrorResponse e, String clientMsgId) {
        return "[error] request=" + e.requestCommand() + " code=" + value(e.code())
                + (clientMsgId == null ? "" : " clientMsgId=" + clientMsgId) + " reason=" + text(e.reason());
    }

    /** The first line of a history page; its messages follow, one line each, newest first. */
    static String history(HistoryResponse r, String name) {
        return "[history] with=" + conversation(r.peerId(), name, r.groupId()) + " count="
                + (r.messages() == null ? 0 : r.messages().size()) + " more=" + r.more()
                + (r.peerReadUpTo() == null ? "" : " peerReadUpTo=" + r.peerReadUpTo());
    }

    /**
     * One entry of history page {@code r}: a message, marked {@code read} if it is one's own and the peer has read
     * it, or in a group's history a group event, printed as {@code [history-event] id=80 at=... event=renamed
     * by=bob(u2) name=Night shift} (with {@code user=} for an event about a user), the fields of a
     * {@code [group-event]} line.
     */
    static String historyMessage(HistoryMessage m, HistoryResponse r) {
        if (m.event() != null) {
            return "[history-event] id=" + m.messageId() + " at=" + time(m.timestamp()) + " event=" + value(m.event())
                    + " by=" + user(m.fromUserName(), m.fromUserId())
                    + (m.user() == null ? "" : " user=" + member(m.user()))
                    + (m.groupName() == null ? "" : " name=" + text(m.groupName()));
        }
        boolean readByPeer = r.peerReadUpTo() != null && r.peerId() != null && !r.peerId().equals(m.fromUserId())
                && m.messageId() <= r.peerReadUpTo();
        return "[history-message] id=" + m.messageId() + " at=" + time(m.timestamp()) + " from="
                + user(m.fromUserName(), m.fromUserId()) + state(m) + (readByPeer ? " read" : "") + " text="
                + text(m.message());
    }

    /** The marker of an edited ({@code edited=<time>}) or recalled ({@code recalled}) message; empty otherwise. */
    private static String state(HistoryMessage m) {
        if (Boolean.TRUE.equals(m.recalled())) {
            return " recalled";
        }
        return m.editedAt() == null ? "" : " edited=" + time(m.editedAt());
    }

    static String edited(MessageEdited e, String name) {
        return "[edited] with=" + conversation(e.peerId(), name, e.groupId()) + " id=" + e.messageId() + " by="
                + user(e.fromUserName(), e.fromUserId()) + " at=" + time(e.editedAt())
                + (e.seq() == null ? "" : " seq=" + e.seq()) + " text=" + text(e.message());
    }

    static String recalled(MessageRecalled r, String name) {
        return "[recalled] with=" + conversation(r.peerId(), name, r.groupId()) + " id=" + r.messageId() + " by="
                + user(r.fromUserName(), r.fromUserId()) + " at=" + time(r.recalledAt())
                + (r.seq() == null ? "" : " seq=" + r.seq());
    }

    static String changed(MessageChangeResponse r) {
        return "[change] ok id=" + r.messageId() + " at=" + time(r.changedAt());
    }

    static String conversations(ConversationsResponse r) {
        return "[conversations] count=" + (r.conversations() == null ? 0 : r.conversations().size()) + " more="
                + r.more();
    }

    static String conversation(ConversationInfo c, String groupName) {
        HistoryMessage last = c.lastMessage();
        return "[conversation] with="
                + conversation(c.peerId(), c.peerId() != null ? c.peerName() : groupName, c.groupId()) + " unread="
                + (c.unreadCount() >= 1_000 ? "1000+" : String.valueOf(c.unreadCount())) + " readUpTo="
                + c.readUpTo() + " activeAt=" + c.activeAt()
                + (last == null ? " last=-" : " last=" + last.messageId() + " at=" + time(last.timestamp()) + " from="
                        + user(last.fromUserName(), last.fromUserId()) + state(last) + " text=" + text(last.message()));
    }

    /** A read position that moved: the user's own (from another device) or the peer's. */
    static String read(ReadPositionChanged r, String name) {
        return "[read] with=" + conversation(r.peerId(), name, r.groupId()) + " by="
                + user(r.userName(), r.userId()) + " upTo=" + r.readUpTo() + (r.seq() == null ? "" : " seq=" + r.seq());
    }

    static String readMarked(MarkReadResponse r, String name) {
        return "[read-mark] with=" + conversation(r.peerId(), name, r.groupId()) + " upTo=" + r.readUpTo();
    }

    static String readCount(ReadCountResponse r, String groupName) {
        return "[read-count] group=" + group(r.groupId(), groupName) + " message=" + r.messageId() + " count=" + r.readCount();
    }

    /**
     * A conversation: {@code name(id)} for a direct one (the name may be unknown: {@code -}), {@code group:} and the
     * group else.
     *
     * @param name the peer's name for a direct conversation, the group's for a group (null when unknown)
     */
    private static String conversation(String peerId, String name, String groupId) {
        return peerId != null ? user(name, peerId) : "group:" + group(groupId, name);
    }

    /** A group: {@code name(id)} when its name is known, the id alone otherwise; both escaped. */
    static String group(String groupId, String groupName) {
        return groupName == null ? value(groupId) : value(groupName) + "(" + value(groupId) + ")";
    }

    /** A server timestamp in the local time zone, to the second. */
    static String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneId.systemDefault());

    /** @param group the group as printed by {@link #group} */
    private static String outcome(String kind, boolean success, String group, String reason) {
        return "[" + kind + "] " + (success ? "ok" : "failed") + " group=" + group
                + (success ? "" : " reason=" + text(reason));
    }

    private static String delivery(Long seq, Long messageId) {
        return (seq == null ? "" : " seq=" + seq) + (messageId == null ? "" : " id=" + messageId);
    }

    private static String member(Member member) {
        return member == null ? "-" : user(member.userName(), member.userId());
    }

    private static String user(String name, String id) {
        return value(name) + "(" + value(id) + ")";
    }

    private static String names(List<String> names) {
        return names == null || names.isEmpty() ? "-" : String.join(",", names);
    }

    /** A single-token value: null prints as {@code -}; control and format characters are escaped. */
    static String value(Object value) {
        return value == null ? "-" : text(value.toString());
    }

    /** Characters that could move a terminal's cursor, reorder text or fake a line: shown as {@code \\uXXXX}. */
    private static boolean unsafe(char c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.PRIVATE_USE, Character.UNASSIGNED -> true;
            default -> false;
        };
    }

    /** Free text, escaped so that it stays on one line and cannot drive the terminal. */
    static String text(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> {
                    if (unsafe(c)) {
                        out.append(String.format("\\u%04x", (int) c)); // ESC and friends never reach the terminal
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
