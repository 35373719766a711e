package dev.switchboard.im.client;

import dev.switchboard.im.protocol.ConversationInfo;
import dev.switchboard.im.protocol.HistoryMessage;
import dev.switchboard.im.protocol.HistoryResponse;
import dev.switchboard.im.protocol.MarkReadResponse;
import dev.switchboard.im.protocol.ReadCountResponse;
import dev.switchboard.im.protocol.ReadPositionChanged;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.ErrorCode;
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
import dev.switchboard.im.protocol.QuitGroupResponse;
import dev.switchboard.im.protocol.SendAck;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventPrinterTest {

    @Test
    void login() {
        LoginResponse ok = new LoginResponse(true, null, "u1", "alice", "t");
        assertThat(EventPrinter.loggedIn(ok, false)).isEqualTo("[login] ok user=alice id=u1 via=password");
        assertThat(EventPrinter.loggedIn(ok, true)).isEqualTo("[login] ok user=alice id=u1 via=token");
        assertThat(EventPrinter.loginFailed("alice", "wrong password"))
                .isEqualTo("[login] failed user=alice reason=wrong password");
        assertThat(EventPrinter.login(LoginResponse.failed("nope"))).isEqualTo("[login] failed user=- reason=nope");
    }

    @Test
    void controlAndFormatCharactersFromOtherUsersNeverReachTheTerminal() {
        String line = EventPrinter.message(new MessageResponse("u2", "bob\u001b[2J", "hi\u001b]0;owned\u0007 \u202Egnp.exe",
                null, null, null));
        assertThat(line).doesNotContain("\u001b", "\u0007", "\u202E");
        assertThat(line).isEqualTo("[message] from=bob\\u001b[2J(u2) text=hi\\u001b]0;owned\\u0007 \\u202egnp.exe");
    }

    @Test
    void messagesShowSeqAndIdOnlyWhenPresentAndEscapeLineBreaks() {
        assertThat(EventPrinter.message(new MessageResponse("u2", "bob", "hello there", 77L, 5L, 1L)))
                .isEqualTo("[message] from=bob(u2) seq=5 id=77 text=hello there");
        assertThat(EventPrinter.message(new MessageResponse("u2", "bob", "two\nlines \\ ok\r", null, null, null)))
                .isEqualTo("[message] from=bob(u2) text=two\\nlines \\\\ ok\\r");
        assertThat(EventPrinter.groupMessage(new GroupMessageResponse("g1", Member.of("u2", "bob"), "hi all", 78L,
                6L, 1L), null)).isEqualTo("[group-message] group=g1 from=bob(u2) seq=6 id=78 text=hi all");
        assertThat(EventPrinter.groupMessage(new GroupMessageResponse("g1", null, null, null, null, null), null))
                .isEqualTo("[group-message] group=g1 from=- text=-");
    }

    @Test
    void typingAndPresenceLinesShowNamesAndLocalTimeOnOneLine() {
        java.time.ZoneId utc = java.time.ZoneOffset.UTC;
        long at = 1_700_000_000_000L; // 2023-11-14T22:13:20Z
        assertThat(EventPrinter.typing(new dev.switchboard.im.protocol.TypingNotice("u2", "bob", null, at), null, utc))
                .isEqualTo("[typing] from=bob(u2) at=22:13:20");
        assertThat(EventPrinter.typing(new dev.switchboard.im.protocol.TypingNotice("u2", "bob\n", "g1", at), null,
                java.time.ZoneId.of("Europe/Paris"))).isEqualTo("[typing] group=g1 from=bob\\n(u2) at=23:13:20");
        assertThat(EventPrinter.presenceChanged(new dev.switchboard.im.protocol.PresenceChanged(
                new Member("u2", "bob", true), at), utc)).isEqualTo("[presence] user=bob(u2) online at=22:13:20");
        assertThat(EventPrinter.presenceChanged(new dev.switchboard.im.protocol.PresenceChanged(
                new Member("u2", "bob", false), at), utc)).isEqualTo("[presence] user=bob(u2) offline at=22:13:20");
        assertThat(EventPrinter.presence(new dev.switchboard.im.protocol.PresenceQueryResponse(List.of(
                new Member("u2", "bob", true), new Member(null, "zed", false)))))
                .isEqualTo("[presence] count=2 users=bob(u2):online,zed(-):offline");
        assertThat(EventPrinter.presence(new dev.switchboard.im.protocol.PresenceQueryResponse(List.of())))
                .isEqualTo("[presence] count=0 users=-");
        assertThat(EventPrinter.visibility(new dev.switchboard.im.protocol.PresenceVisibilityResponse(true)))
                .isEqualTo("[presence] hidden");
        assertThat(EventPrinter.visibility(new dev.switchboard.im.protocol.PresenceVisibilityResponse(false)))
                .isEqualTo("[presence] shown");
    }

    @Test
    void repliesAndPushes() {
        assertThat(EventPrinter.sendAck(new SendAck("c1", 77, 1))).isEqualTo("[ack] clientMsgId=c1 messageId=77");
        assertThat(EventPrinter.groupCreated(new CreateGroupResponse(true, "g1", List.of("alice", "bob"), null)))
                .isEqualTo("[create-group] ok group=g1 members=alice,bob");
        assertThat(EventPrinter.groupCreated(new CreateGroupResponse(false, null, null, "no such user zed")))
                .isEqualTo("[create-group] failed reason=no such user zed");
        assertThat(EventPrinter.joined(new JoinGroupResponse("g1", true, null), null))
                .isEqualTo("[join-group] ok group=g1");
        assertThat(EventPrinter.quit(new QuitGroupResponse("g1", false, "not a member"), null))
                .isEqualTo("[quit-group] failed group=g1 reason=not a member");
        assertThat(EventPrinter.members(new ListGroupMembersResponse("g1",
                List.of(new Member("u1", "alice", true), new Member("u2", "bob", false), Member.of("u3", "c"))), null))
                .isEqualTo("[members] group=g1 count=3 members=alice(u1):online,bob(u2):offline,c(u3)");
        assertThat(EventPrinter.members(new ListGroupMembersResponse("g1", null), null))
                .isEqualTo("[members] group=g1 count=0 members=");
        assertThat(EventPrinter.memberJoined(new GroupMemberJoined("g1", Member.of("u3", "carol")), null))
                .isEqualTo("[member-joined] group=g1 user=carol(u3)");
        assertThat(EventPrinter.memberQuit(new GroupMemberQuit("g1", Member.of("u3", "carol")), null))
                .isEqualTo("[member-quit] group=g1 user=carol(u3)");
        assertThat(EventPrinter.logout(new LogoutResponse(true, null))).isEqualTo("[logout] ok");
    }

    @Test
    void groupEventsAreOneGreppableLineWithLocalTimeAndTheNameLast() {
        long at = 1_764_700_801_000L;
        assertThat(EventPrinter.groupEvent(new GroupChanged("g1", "renamed", Member.of("u2", "bob"), null,
                "Night\nshift", 80, 7L, at), "Day shift"))
                .isEqualTo("[group-event] group=Day shift(g1) event=renamed by=bob(u2) at=" + local(at)
                        + " seq=7 id=80 name=Night\\nshift");
        assertThat(EventPrinter.groupEvent(new GroupChanged("g1", "kicked", Member.of("u1", "alice"),
                Member.of("u3", "carol"), null, 81, 8L, at), null))
                .isEqualTo("[group-event] group=g1 event=kicked by=alice(u1) user=carol(u3) at=" + local(at)
                        + " seq=8 id=81");
    }

    @Test
    void groupsShowTheirNameBeforeTheIdEscapedWhenKnown() {
        assertThat(EventPrinter.group("g1", null)).isEqualTo("g1");
        assertThat(EventPrinter.group("g1", "Night shift")).isEqualTo("Night shift(g1)");
        assertThat(EventPrinter.group("g1", "\u001b[2Jevil\n")).isEqualTo("\\u001b[2Jevil\\n(g1)");
        assertThat(EventPrinter.groupMessage(new GroupMessageResponse("g1", Member.of("u2", "bob"), "hi", 78L, 6L,
                1L), "Night shift")).isEqualTo("[group-message] group=Night shift(g1) from=bob(u2) seq=6 id=78 text=hi");
        assertThat(EventPrinter.groupCreated(new CreateGroupResponse(true, "g1", List.of("alice", "bob"), null,
                "Night shift"))).isEqualTo("[create-group] ok group=Night shift(g1) members=alice,bob");
        assertThat(EventPrinter.joined(new JoinGroupResponse("g1", false, "no such group"), "Crew"))
                .isEqualTo("[join-group] failed group=Crew(g1) reason=no such group");
        assertThat(EventPrinter.readCount(new ReadCountResponse("g1", 78, 3), "Crew"))
                .isEqualTo("[read-count] group=Crew(g1) message=78 count=3");
        assertThat(EventPrinter.conversation(new ConversationInfo(null, null, "g1", null, 0, 0, 9), "Crew"))
                .isEqualTo("[conversation] with=group:Crew(g1) unread=0 readUpTo=0 activeAt=9 last=-");
        assertThat(EventPrinter.history(new HistoryResponse(null, null, "g1", List.of(), false, null), "Crew"))
                .isEqualTo("[history] with=group:Crew(g1) count=0 more=false");
        assertThat(EventPrinter.typing(new dev.switchboard.im.protocol.TypingNotice("u2", "bob", "g1", 0),
                "Crew", java.time.ZoneOffset.UTC)).isEqualTo("[typing] group=Crew(g1) from=bob(u2) at=00:00:00");
    }

    @Test
    void groupAdministrationRepliesAreOneLineEach() {
        assertThat(EventPrinter.groupChange(new GroupChangeResponse(51, "g1", true), "Crew"))
                .isEqualTo("[group-change] ok command=kick group=Crew(g1) changed=true");
        assertThat(EventPrinter.groupChange(new GroupChangeResponse(49, "g1", false), null))
                .isEqualTo("[group-change] ok command=rename group=g1 changed=false");
        assertThat(List.of(50, 52, 53, 54, 55, 99).stream()
                .map(code -> EventPrinter.groupChange(new GroupChangeResponse(code, "g", true), null)).toList())
                .extracting(line -> line.split(" ", -1)[2])
                .containsExactly("command=addMembers", "command=role", "command=muteMember", "command=muteGroup",
                        "command=transfer", "command=99");
        MyGroupsResponse mine = new MyGroupsResponse(List.of(
                new GroupSummary("g1", "Night shift", "owner", 3, false, false),
                new GroupSummary("g2", "Crew", "member", 12, true, true)));
        assertThat(EventPrinter.myGroups(mine)).isEqualTo("[groups] count=2");
        assertThat(EventPrinter.myGroups(new MyGroupsResponse(null))).isEqualTo("[groups] count=0");
        assertThat(mine.groups().stream().map(EventPrinter::groupSummary).toList()).containsExactly(
                "[group] group=Night shift(g1) role=owner members=3 muted=false mutedMe=false",
                "[group] group=Crew(g2) role=member members=12 muted=true mutedMe=true");
        GroupInfoResponse info = new GroupInfoResponse("g1", "Night shift", true, List.of(
                new GroupMemberInfo("u1", "alice", "owner", false, true),
                new GroupMemberInfo("u3", "carol", "member", true, false)));
        assertThat(EventPrinter.groupInfo(info)).isEqualTo("[group-info] group=Night shift(g1) muted=true count=2");
        assertThat(info.members().stream().map(m -> EventPrinter.groupMember(info, m)).toList()).containsExactly(
                "[group-member] group=Night shift(g1) user=alice(u1) role=owner muted=false online=true",
                "[group-member] group=Night shift(g1) user=carol(u3) role=member muted=true online=false");
    }

    private static String local(long at) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
                .withZone(java.time.ZoneId.systemDefault()).format(java.time.Instant.ofEpochMilli(at));
    }

    @Test
    void errorsNameTheRequestCodeAndTheMessageWhenKnown() {
        ErrorResponse error = ErrorResponse.of(3, ErrorCode.NO_SUCH_USER, "no user named zed");
        assertThat(EventPrinter.error(error, "c1"))
                .isEqualTo("[error] request=3 code=NO_SUCH_USER clientMsgId=c1 reason=no user named zed");
        assertThat(EventPrinter.error(error, null))
                .isEqualTo("[error] request=3 code=NO_SUCH_USER reason=no user named zed");
    }

    @Test
    void conversationLinesNameUsersAndShowLocalTimes() {
        long at = 1_764_700_801_000L;
        String local = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
                .withZone(java.time.ZoneId.systemDefault()).format(java.time.Instant.ofEpochMilli(at));
        HistoryMessage hello = new HistoryMessage(77, "u2", "bob", "hello\nthere", at, null, null);

        assertThat(EventPrinter.history(new HistoryResponse("u2", "bob", null, List.of(hello), true, null), "bob"))
                .isEqualTo("[history] with=bob(u2) count=1 more=true");
        assertThat(EventPrinter.history(new HistoryResponse(null, null, "g1", List.of(), false, null), null))
                .isEqualTo("[history] with=group:g1 count=0 more=false");
        HistoryResponse groupPage = new HistoryResponse(null, null, "g1", List.of(), false, null);
        assertThat(EventPrinter.historyMessage(hello, groupPage))
                .isEqualTo("[history-message] id=77 at=" + local + " from=bob(u2) text=hello\\nthere");
        HistoryMessage mine = new HistoryMessage(76, "u1", "alice", "hi", at, null, null);
        HistoryMessage mineLater = new HistoryMessage(78, "u1", "alice", "still there?", at, null, null);
        HistoryResponse page = new HistoryResponse("u2", "bob", null, List.of(mineLater, hello, mine), false, 77L);
        assertThat(EventPrinter.history(page, "bob")).endsWith("more=false peerReadUpTo=77");
        assertThat(EventPrinter.historyMessage(mine, page)).as("one's own message the peer has read")
                .isEqualTo("[history-message] id=76 at=" + local + " from=alice(u1) read text=hi");
        assertThat(EventPrinter.historyMessage(mineLater, page)).as("past the peer's position")
                .doesNotContain(" read ");
        assertThat(EventPrinter.historyMessage(hello, page)).as("the peer's own messages are never marked")
                .isEqualTo("[history-message] id=77 at=" + local + " from=bob(u2) text=hello\\nthere");
        HistoryMessage kicked = new HistoryMessage(80, "u1", "alice", "", at, null, null, "kicked",
                Member.of("u3", "carol\u001b"), null);
        assertThat(EventPrinter.historyMessage(kicked, groupPage)).as("a group event in a group's history")
                .isEqualTo("[history-event] id=80 at=" + local + " event=kicked by=alice(u1) user=carol\\u001b(u3)");
        HistoryMessage renamed = new HistoryMessage(81, "u1", "alice", "", at, null, null, "renamed", null, "Day shift");
        assertThat(EventPrinter.historyMessage(renamed, groupPage))
                .isEqualTo("[history-event] id=81 at=" + local + " event=renamed by=alice(u1) name=Day shift");
        assertThat(EventPrinter.conversation(new ConversationInfo("u2", "bob", null, hello, 70, 1_000, 154), null))
                .isEqualTo("[conversation] with=bob(u2) unread=1000+ readUpTo=70 activeAt=154 last=77 at=" + local
                        + " from=bob(u2) text=hello\\nthere");
        assertThat(EventPrinter.conversation(new ConversationInfo(null, null, "g1", null, 0, 0, 9), null))
                .isEqualTo("[conversation] with=group:g1 unread=0 readUpTo=0 activeAt=9 last=-");
        assertThat(EventPrinter.read(new ReadPositionChanged("u2", null, "u1", "alice", 77, 8L), "bob"))
                .isEqualTo("[read] with=bob(u2) by=alice(u1) upTo=77 seq=8");
        assertThat(EventPrinter.readMarked(new MarkReadResponse(null, null, "g1", 5), null))
                .isEqualTo("[read-mark] with=group:g1 upTo=5");
        assertThat(EventPrinter.readCount(new ReadCountResponse("g1", 78, 3), null))
                .isEqualTo("[read-count] group=g1 message=78 count=3");
    }
}
