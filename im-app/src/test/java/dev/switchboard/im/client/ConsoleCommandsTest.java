package dev.switchboard.im.client;

import dev.switchboard.im.protocol.AddGroupMembersRequest;
import dev.switchboard.im.protocol.ConversationsRequest;
import dev.switchboard.im.protocol.EditMessageRequest;
import dev.switchboard.im.protocol.GroupChangeResponse;
import dev.switchboard.im.protocol.GroupInfoRequest;
import dev.switchboard.im.protocol.GroupInfoResponse;
import dev.switchboard.im.protocol.KickGroupMemberRequest;
import dev.switchboard.im.protocol.MessageChangeResponse;
import dev.switchboard.im.protocol.MuteGroupMemberRequest;
import dev.switchboard.im.protocol.MuteGroupRequest;
import dev.switchboard.im.protocol.MyGroupsRequest;
import dev.switchboard.im.protocol.MyGroupsResponse;
import dev.switchboard.im.protocol.RecallMessageRequest;
import dev.switchboard.im.protocol.RenameGroupRequest;
import dev.switchboard.im.protocol.SetGroupRoleRequest;
import dev.switchboard.im.protocol.TransferGroupRequest;
import dev.switchboard.im.protocol.TypingRequest;
import dev.switchboard.im.client.ConsoleCommands.Argument;
import dev.switchboard.im.protocol.HistoryRequest;
import dev.switchboard.im.protocol.HistoryResponse;
import dev.switchboard.im.protocol.MarkReadRequest;
import dev.switchboard.im.protocol.MarkReadResponse;
import dev.switchboard.im.protocol.ReadCountRequest;
import dev.switchboard.im.protocol.ReadCountResponse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.client.ConsoleCommands.Action;
import dev.switchboard.im.client.ConsoleCommands.Local;
import dev.switchboard.im.client.ConsoleCommands.Parsed;
import dev.switchboard.im.client.ConsoleCommands.Send;
import dev.switchboard.im.client.ConsoleCommands.Usage;
import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.GroupMessageRequest;
import dev.switchboard.im.protocol.GroupMessageResponse;
import dev.switchboard.im.protocol.JoinGroupRequest;
import dev.switchboard.im.protocol.JoinGroupResponse;
import dev.switchboard.im.protocol.ListGroupMembersRequest;
import dev.switchboard.im.protocol.ListGroupMembersResponse;
import dev.switchboard.im.protocol.LogoutRequest;
import dev.switchboard.im.protocol.LogoutResponse;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.QuitGroupRequest;
import dev.switchboard.im.protocol.QuitGroupResponse;
import dev.switchboard.im.protocol.SendAck;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsoleCommandsTest {

    private final AtomicInteger ids = new AtomicInteger();
    private final ConsoleCommands v2 = new ConsoleCommands(2, () -> "m" + ids.incrementAndGet());
    private final ConsoleCommands v1 = new ConsoleCommands(1, () -> "never");
    private final KnownNames names = new KnownNames();
    private final ConsoleCommands named = new ConsoleCommands(2, () -> "m" + ids.incrementAndGet(), names);

    private static String hint(Parsed parsed) {
        assertThat(parsed).isInstanceOf(Usage.class);
        return ((Usage) parsed).hint();
    }

    private static ChatRequest sent(Parsed parsed) {
        assertThat(parsed).isInstanceOf(Send.class);
        return ((Send) parsed).request();
    }

    @Test
    void sendToUserKeepsTheMessageSpacesAndUsesNameAndFreshClientMsgIdInV2() {
        ChatRequest first = sent(v2.parse("sendToUser bob  hello   there, bob "));
        ChatRequest second = sent(v2.parse("sendToUser bob again"));

        assertThat(first.packet()).isEqualTo(new MessageRequest(null, "hello   there, bob", "m1", "bob"));
        assertThat(first.command()).isEqualTo(3);
        assertThat(first.replyType()).isEqualTo(SendAck.class);
        assertThat(first.clientMsgId()).isEqualTo("m1");
        assertThat(second.clientMsgId()).isEqualTo("m2");
    }

    @Test
    void sendToUserInV1AddressesByIdWithoutAckOrClientMsgId() {
        ChatRequest request = sent(v1.parse("sendToUser u42 hi there"));

        assertThat(request.packet()).isEqualTo(new MessageRequest("u42", "hi there", null, null));
        assertThat(request.replyType()).isNull();
        assertThat(request.retriable()).isFalse();
    }

    @Test
    void sendToGroupIsAcknowledgedInV2AndEchoedInV1() {
        ChatRequest request = sent(v2.parse("sendToGroup g1 hi all"));
        assertThat(request.packet()).isEqualTo(new GroupMessageRequest("g1", "hi all", "m1"));
        assertThat(request.replyType()).isEqualTo(SendAck.class);

        ChatRequest old = sent(v1.parse("sendtogroup g1 hi all"));
        assertThat(old.packet()).isEqualTo(new GroupMessageRequest("g1", "hi all", null));
        assertThat(old.replyType()).isEqualTo(GroupMessageResponse.class);
    }

    @Test
    void createGroupTakesNamesInV2AndIdsInV1SeparatedByCommasOrSpaces() {
        ChatRequest request = sent(v2.parse("createGroup bob,carol, dave"));
        assertThat(request.packet()).isEqualTo(new CreateGroupRequest(null, List.of("bob", "carol", "dave")));
        assertThat(request.replyType()).isEqualTo(CreateGroupResponse.class);

        assertThat(sent(v1.parse("createGroup u1,u2")).packet())
                .isEqualTo(new CreateGroupRequest(List.of("u1", "u2"), null));
    }

    @Test
    void groupCommandsTakeOneGroupId() {
        assertThat(sent(v2.parse("joinGroup g1"))).isEqualTo(
                new ChatRequest(new JoinGroupRequest("g1"), 11, JoinGroupResponse.class, null));
        assertThat(sent(v2.parse("quitGroup g1"))).isEqualTo(
                new ChatRequest(new QuitGroupRequest("g1"), 13, QuitGroupResponse.class, null));
        assertThat(sent(v2.parse("  listGroupMembers   g1  "))).isEqualTo(
                new ChatRequest(new ListGroupMembersRequest("g1"), 9, ListGroupMembersResponse.class, null));
    }

    @Test
    void logoutIsARequestAndTheRestAreLocal() {
        assertThat(sent(v2.parse("logout")))
                .isEqualTo(new ChatRequest(new LogoutRequest(), 5, LogoutResponse.class, null));
        assertThat(v2.parse("login")).isEqualTo(new Local(Action.LOGIN, 0));
        assertThat(v2.parse("help")).isEqualTo(new Local(Action.HELP, 0));
        assertThat(v2.parse("QUIT")).isEqualTo(new Local(Action.QUIT, 0));
        assertThat(v2.parse("sleep 250")).isEqualTo(new Local(Action.SLEEP, 250));
        assertThat(v2.parse("   ")).isEqualTo(new Local(Action.NOTHING, 0));
        assertThat(v2.parse("# a comment")).isEqualTo(new Local(Action.NOTHING, 0));
        assertThat(v2.parse(null)).isEqualTo(new Local(Action.NOTHING, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sendToUser", "sendToUser bob", "sendToUser bob   ", "sendToGroup g1", "createGroup",
            "createGroup , ,", "joinGroup", "joinGroup g1 g2", "quitGroup", "listGroupMembers a b", "logout now",
            "login alice", "help me", "quit now", "sleep", "sleep -1", "sleep soon", "sleep 99999999",
            "typingToUser", "typingToUser bob carol", "typingToGroup", "presence", "presence , ,",
            "hidePresence now", "showPresence please"})
    void wrongArgumentsGiveAUsageHint(String line) {
        Parsed parsed = v2.parse(line);

        assertThat(parsed).isInstanceOf(Usage.class);
        assertThat(((Usage) parsed).hint()).startsWith("usage: ").doesNotContain("\n");
    }

    @Test
    void typingAndPresenceCommandsBuildTheirV2Packets() {
        assertThat(v2.parse("typingToUser bob")).isEqualTo(new Send(ChatRequest.of(
                new dev.switchboard.im.protocol.TypingRequest(null, "bob", null), null, null)));
        assertThat(v2.parse("TYPINGTOGROUP g1")).isEqualTo(new Send(ChatRequest.of(
                new dev.switchboard.im.protocol.TypingRequest(null, null, "g1"), null, null)));
        assertThat(v2.parse("presence bob, carol dave")).isEqualTo(new Send(ChatRequest.of(
                new dev.switchboard.im.protocol.PresenceQueryRequest(null, List.of("bob", "carol", "dave")),
                dev.switchboard.im.protocol.PresenceQueryResponse.class, null)));
        assertThat(v2.parse("hidePresence")).isEqualTo(new Send(ChatRequest.of(
                new dev.switchboard.im.protocol.PresenceVisibilityRequest(true),
                dev.switchboard.im.protocol.PresenceVisibilityResponse.class, null)));
        assertThat(v2.parse("showPresence")).isEqualTo(new Send(ChatRequest.of(
                new dev.switchboard.im.protocol.PresenceVisibilityRequest(false),
                dev.switchboard.im.protocol.PresenceVisibilityResponse.class, null)));
        String tooMany = "presence " + String.join(" ", java.util.Collections.nCopies(201, "u"));
        assertThat(v2.parse(tooMany)).isInstanceOf(Usage.class);
        assertThat(v1.parse("typingToUser bob"))
                .isEqualTo(new Usage("typingToUser needs protocol version 2 (--protocol 2)"));
        assertThat(v1.parse("hidePresence")).isInstanceOf(Usage.class);
        assertThat(ConsoleCommands.takesUser("typingToUser")).isTrue();
        assertThat(ConsoleCommands.takesUsers("presence")).isTrue();
        assertThat(ConsoleCommands.takesGroup("typingToGroup")).isTrue();
    }

    @Test
    void unknownCommandNamesItself() {
        assertThat(v2.parse("sendToMars hi")).isEqualTo(
                new Usage("unknown command 'sendToMars'; type help for the list"));
    }

    @Test
    void usageAndHelpNameIdsInV1() {
        assertThat(((Usage) v1.parse("sendToUser")).hint()).isEqualTo("usage: sendToUser <userId> <message...>");
        assertThat(((Usage) v2.parse("sendToUser")).hint()).isEqualTo("usage: sendToUser <userName> <message...>");
        assertThat(v1.help()).anyMatch(line -> line.startsWith("createGroup <userId>[,<userId>...]"));
        assertThat(ConsoleCommands.names()).hasSize(37).allMatch(name ->
                v2.help().stream().anyMatch(line -> line.startsWith(name)));
    }

    @Test
    void conversationCommandsBuildTheirRequestsInV2() {
        assertThat(sent(v2.parse("history bob")).packet()).isEqualTo(new HistoryRequest(null, "bob", null, null, null));
        assertThat(sent(v2.parse("history bob 77")).packet()).isEqualTo(new HistoryRequest(null, "bob", null, 77L, null));
        assertThat(sent(v2.parse("groupHistory g1 5")).packet()).isEqualTo(new HistoryRequest(null, null, "g1", 5L, null));
        assertThat(sent(v2.parse("conversations")).packet()).isEqualTo(new ConversationsRequest(null, null));
        assertThat(sent(v2.parse("conversations 40")).packet()).isEqualTo(new ConversationsRequest(40L, null));
        assertThat(sent(v2.parse("read bob 9")).packet()).isEqualTo(new MarkReadRequest(null, "bob", null, 9));
        assertThat(sent(v2.parse("readGroup g1 9")).packet()).isEqualTo(new MarkReadRequest(null, null, "g1", 9));
        ChatRequest count = sent(v2.parse("readCount g1 9"));
        assertThat(count.packet()).isEqualTo(new ReadCountRequest("g1", 9));
        assertThat(count.replyType()).isEqualTo(ReadCountResponse.class);
        assertThat(sent(v2.parse("history bob")).replyType()).isEqualTo(HistoryResponse.class);
        assertThat(sent(v2.parse("read bob 9")).replyType()).isEqualTo(MarkReadResponse.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"history", "history bob zero", "history bob 0", "history bob 1 2", "conversations -1",
            "read bob", "read bob x", "readGroup g1", "readCount g1 -3", "groupHistory"})
    void conversationCommandsWithBadArgumentsShowTheirUsage(String line) {
        assertThat(v2.parse(line)).isInstanceOf(Usage.class);
    }

    @Test
    void conversationCommandsNeedVersion2() {
        assertThat(v1.parse("history bob")).isInstanceOfSatisfying(Usage.class,
                usage -> assertThat(usage.hint()).contains("version 2"));
        assertThat(ConsoleCommands.takesUser("history")).isTrue();
        assertThat(ConsoleCommands.takesGroup("readCount")).isTrue();
        assertThat(ConsoleCommands.names()).contains("history", "groupHistory", "conversations", "read",
                "readGroup", "readCount");
    }

    @Test
    void groupAdministrationCommandsBuildTheirV2Packets() {
        ChatRequest groups = sent(v2.parse("groups"));
        assertThat(groups).isEqualTo(new ChatRequest(new MyGroupsRequest(), 57, MyGroupsResponse.class, null));
        assertThat(sent(v2.parse("groupInfo g1")))
                .isEqualTo(new ChatRequest(new GroupInfoRequest("g1"), 59, GroupInfoResponse.class, null));
        assertThat(sent(v2.parse("rename g1   Night  shift ")))
                .isEqualTo(new ChatRequest(new RenameGroupRequest("g1", "Night  shift"), 49,
                        GroupChangeResponse.class, null));
        assertThat(sent(v2.parse("rename g1 \"Night shift\"")).packet())
                .isEqualTo(new RenameGroupRequest("g1", "Night shift"));
        assertThat(sent(v2.parse("rename g1 \"Night\" shift")).packet())
                .as("only a name that is one quoted argument loses its quotes")
                .isEqualTo(new RenameGroupRequest("g1", "\"Night\" shift"));
        assertThat(sent(v2.parse("addMembers g1 bob,carol dave")))
                .isEqualTo(new ChatRequest(new AddGroupMembersRequest("g1", null, List.of("bob", "carol", "dave")),
                        50, GroupChangeResponse.class, null));
        assertThat(sent(v2.parse("addMembers g1 \"Mary Ann\",bob")).packet())
                .isEqualTo(new AddGroupMembersRequest("g1", null, List.of("Mary Ann", "bob")));
        assertThat(sent(v2.parse("kick g1 carol")))
                .isEqualTo(new ChatRequest(new KickGroupMemberRequest("g1", null, "carol"), 51,
                        GroupChangeResponse.class, null));
        assertThat(sent(v2.parse("promote g1 bob")).packet()).isEqualTo(new SetGroupRoleRequest("g1", null, "bob",
                "admin"));
        assertThat(sent(v2.parse("demote g1 bob")).packet()).isEqualTo(new SetGroupRoleRequest("g1", null, "bob",
                "member"));
        assertThat(sent(v2.parse("mute g1 bob")).packet()).isEqualTo(new MuteGroupMemberRequest("g1", null, "bob",
                true));
        assertThat(sent(v2.parse("UNMUTE g1 bob")).packet()).isEqualTo(new MuteGroupMemberRequest("g1", null,
                "bob", false));
        assertThat(sent(v2.parse("muteGroup g1")))
                .isEqualTo(new ChatRequest(new MuteGroupRequest("g1", true), 54, GroupChangeResponse.class, null));
        assertThat(sent(v2.parse("unmuteGroup g1")).packet()).isEqualTo(new MuteGroupRequest("g1", false));
        assertThat(sent(v2.parse("transfer g1 \"Mary Ann\"")))
                .isEqualTo(new ChatRequest(new TransferGroupRequest("g1", null, "Mary Ann"), 55,
                        GroupChangeResponse.class, null));
    }

    @Test
    void createGroupTakesANameAfterAs() {
        assertThat(sent(v2.parse("createGroup bob,carol as Night shift")).packet())
                .isEqualTo(new CreateGroupRequest(null, List.of("bob", "carol"), "Night shift"));
        assertThat(sent(v2.parse("createGroup bob carol AS \"Night shift\"")).packet())
                .isEqualTo(new CreateGroupRequest(null, List.of("bob", "carol"), "Night shift"));
        assertThat(sent(v2.parse("createGroup bob,as as Crew")).packet())
                .as("a user called as is written next to a comma")
                .isEqualTo(new CreateGroupRequest(null, List.of("bob", "as"), "Crew"));
        assertThat(sent(v2.parse("createGroup \"Mary Ann\" bob")).packet())
                .isEqualTo(new CreateGroupRequest(null, List.of("Mary Ann", "bob"), null));
        assertThat(hint(v2.parse("createGroup bob as"))).startsWith("usage: createGroup <userName>");
        assertThat(hint(v2.parse("createGroup as Crew"))).startsWith("usage: createGroup <userName>");
        assertThat(hint(v1.parse("createGroup u1 as Crew"))).contains("needs protocol version 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"groups now", "groupInfo", "groupInfo g1 g2", "rename", "rename g1", "rename g1   ",
            "addMembers", "addMembers g1", "addMembers g1 , ,", "kick", "kick g1", "kick g1 bob carol", "promote g1",
            "demote", "mute g1", "unmute g1 a b", "muteGroup", "muteGroup g1 now", "unmuteGroup", "transfer g1",
            "transfer g1 bob carol", "createGroup bob as  "})
    void groupAdministrationWithBadArgumentsShowsItsUsage(String line) {
        assertThat(hint(v2.parse(line))).startsWith("usage: " + line.split(" ", -1)[0]);
    }

    @Test
    void addMembersIsBoundedByTheServersLimit() {
        String tooMany = "addMembers g1 " + String.join(",", java.util.Collections.nCopies(101, "u"));
        assertThat(hint(v2.parse(tooMany))).contains("at most 100");
        String enough = "addMembers g1 " + String.join(",", java.util.Collections.nCopies(100, "u"));
        assertThat(v2.parse(enough)).isInstanceOf(Send.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"groups", "groupInfo g1", "rename g1 Crew", "addMembers g1 bob", "kick g1 bob",
            "promote g1 bob", "demote g1 bob", "mute g1 bob", "unmute g1 bob", "muteGroup g1", "unmuteGroup g1",
            "transfer g1 bob"})
    void groupAdministrationNeedsVersion2(String line) {
        assertThat(hint(v1.parse(line))).isEqualTo(ConsoleCommands.names().stream()
                .filter(name -> name.equalsIgnoreCase(line.split(" ", -1)[0])).findFirst().orElseThrow()
                + " needs protocol version 2 (--protocol 2)");
    }

    @Test
    void everyGroupArgumentAcceptsALearntNameQuotedOrEscaped() {
        names.group("Gx8kQ2aLp0", "Night shift");
        names.group("g2", "Crew");

        assertThat(sent(named.parse("sendToGroup \"Night shift\" hi all")).packet())
                .isEqualTo(new GroupMessageRequest("Gx8kQ2aLp0", "hi all", "m1"));
        assertThat(sent(named.parse("sendToGroup Night\\ shift  hi  all")).packet())
                .isEqualTo(new GroupMessageRequest("Gx8kQ2aLp0", "hi  all", "m2"));
        assertThat(sent(named.parse("joinGroup crew")).packet()).isEqualTo(new JoinGroupRequest("g2"));
        assertThat(sent(named.parse("quitGroup Crew")).packet()).isEqualTo(new QuitGroupRequest("g2"));
        assertThat(sent(named.parse("listGroupMembers Crew")).packet()).isEqualTo(new ListGroupMembersRequest("g2"));
        assertThat(sent(named.parse("groupHistory Crew 5")).packet())
                .isEqualTo(new HistoryRequest(null, null, "g2", 5L, null));
        assertThat(sent(named.parse("readGroup Crew 9")).packet()).isEqualTo(new MarkReadRequest(null, null, "g2", 9));
        assertThat(sent(named.parse("readCount Crew 9")).packet()).isEqualTo(new ReadCountRequest("g2", 9));
        assertThat(sent(named.parse("editGroup Crew 9 fixed  text")).packet())
                .isEqualTo(new EditMessageRequest(null, null, "g2", 9, "fixed  text"));
        assertThat(sent(named.parse("recallGroup Crew 9")))
                .isEqualTo(new ChatRequest(new RecallMessageRequest(null, null, "g2", 9), 38,
                        MessageChangeResponse.class, null));
        assertThat(sent(named.parse("typingToGroup Crew")).packet()).isEqualTo(new TypingRequest(null, null, "g2"));
        assertThat(sent(named.parse("groupInfo Crew")).packet()).isEqualTo(new GroupInfoRequest("g2"));
        assertThat(sent(named.parse("rename \"Night shift\" Day shift")).packet())
                .isEqualTo(new RenameGroupRequest("Gx8kQ2aLp0", "Day shift"));
        assertThat(sent(named.parse("addMembers Crew bob")).packet())
                .isEqualTo(new AddGroupMembersRequest("g2", null, List.of("bob")));
        assertThat(sent(named.parse("kick Crew bob")).packet()).isEqualTo(new KickGroupMemberRequest("g2", null,
                "bob"));
        assertThat(sent(named.parse("promote Crew bob")).packet()).isEqualTo(new SetGroupRoleRequest("g2", null,
                "bob", "admin"));
        assertThat(sent(named.parse("mute Crew bob")).packet()).isEqualTo(new MuteGroupMemberRequest("g2", null,
                "bob", true));
        assertThat(sent(named.parse("muteGroup Crew")).packet()).isEqualTo(new MuteGroupRequest("g2", true));
        assertThat(sent(named.parse("transfer Crew bob")).packet()).isEqualTo(new TransferGroupRequest("g2", null,
                "bob"));
        assertThat(sent(named.parse("joinGroup Gx8kQ2aLp0")).packet()).isEqualTo(new JoinGroupRequest("Gx8kQ2aLp0"));
        assertThat(sent(named.parse("joinGroup NewId12345")).packet())
                .as("a single word no group is known by is sent as an id")
                .isEqualTo(new JoinGroupRequest("NewId12345"));
    }

    @Test
    void anUnknownOrAmbiguousGroupNameIsRefusedBeforeSending() {
        names.group("g1", "Crew");
        names.group("g2", "crew");
        names.group("g3", "Night shift");

        assertThat(hint(named.parse("sendToGroup \"Day shift\" hi")))
                .isEqualTo("no group named 'Day shift' known; run groups to list yours, or give the id");
        assertThat(hint(named.parse("kick crew bob")))
                .isEqualTo("group name 'crew' is ambiguous: Crew(g1), crew(g2); give the id");
        assertThat(sent(named.parse("kick g2 bob")).packet()).isEqualTo(new KickGroupMemberRequest("g2", null,
                "bob"));
        assertThat(hint(named.parse("sendToGroup \"Night shift hi")))
                .isEqualTo("a quote is not closed; usage: sendToGroup <group> <message...>");
    }

    @Test
    void aRenamedGroupIsFoundByItsNewNameOnly() {
        names.group("g1", "Day shift");
        names.group("g1", "Night shift");

        assertThat(sent(named.parse("groupInfo \"night shift\"")).packet()).isEqualTo(new GroupInfoRequest("g1"));
        assertThat(hint(named.parse("groupInfo \"Day shift\""))).startsWith("no group named 'Day shift' known");
    }

    @Test
    void argumentKindsDriveCompletion() {
        assertThat(ConsoleCommands.argument("kick", List.of(), 0)).isEqualTo(Argument.GROUP);
        assertThat(ConsoleCommands.argument("kick", List.of("g1"), 1)).isEqualTo(Argument.USER);
        assertThat(ConsoleCommands.argument("kick", List.of("g1", "bob"), 2)).isEqualTo(Argument.OTHER);
        assertThat(ConsoleCommands.argument("addMembers", List.of("g1", "bob"), 2)).isEqualTo(Argument.USER);
        assertThat(ConsoleCommands.argument("createGroup", List.of("bob"), 1)).isEqualTo(Argument.USER);
        assertThat(ConsoleCommands.argument("createGroup", List.of("bob", "as"), 2)).isEqualTo(Argument.OTHER);
        assertThat(ConsoleCommands.argument("sendToGroup", List.of("g1"), 1)).isEqualTo(Argument.OTHER);
        assertThat(ConsoleCommands.argument("groups", List.of(), 0)).isEqualTo(Argument.OTHER);
        assertThat(ConsoleCommands.argument("nonsense", List.of(), 0)).isEqualTo(Argument.OTHER);
        assertThat(ConsoleCommands.takesGroup("muteGroup")).isTrue();
        assertThat(ConsoleCommands.takesUser("kick")).isFalse();
        assertThat(ConsoleCommands.takesUsers("createGroup")).isTrue();
        assertThat(ConsoleCommands.takesUsers("sendToUser")).isFalse();
    }

    @Test
    void helpExplainsGroupsByName() {
        assertThat(v2.help()).anyMatch(line -> line.startsWith("createGroup <userName>[,<userName>...] [as <name...>]"))
                .anyMatch(line -> line.startsWith("kick <group> <userName>"))
                .anyMatch(line -> line.contains("a <group> is its id or its name"));
        assertThat(v1.help()).anyMatch(line -> line.startsWith("sendToGroup <groupId>"));
    }
}
