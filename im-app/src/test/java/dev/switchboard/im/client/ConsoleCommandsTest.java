package dev.switchboard.im.client;

import dev.switchboard.im.protocol.ConversationsRequest;
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
        assertThat(ConsoleCommands.names()).hasSize(25).allMatch(name ->
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
}
