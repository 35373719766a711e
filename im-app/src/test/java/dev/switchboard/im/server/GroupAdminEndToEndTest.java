package dev.switchboard.im.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.AddGroupMembersRequest;
import dev.switchboard.im.protocol.ConversationInfo;
import dev.switchboard.im.protocol.ConversationsRequest;
import dev.switchboard.im.protocol.ConversationsResponse;
import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.ErrorResponse;
import dev.switchboard.im.protocol.GroupChangeResponse;
import dev.switchboard.im.protocol.GroupChanged;
import dev.switchboard.im.protocol.GroupInfoRequest;
import dev.switchboard.im.protocol.GroupInfoResponse;
import dev.switchboard.im.protocol.GroupMemberJoined;
import dev.switchboard.im.protocol.GroupMemberQuit;
import dev.switchboard.im.protocol.GroupMemberInfo;
import dev.switchboard.im.protocol.GroupMessageRequest;
import dev.switchboard.im.protocol.GroupMessageResponse;
import dev.switchboard.im.protocol.GroupSummary;
import dev.switchboard.im.protocol.HeartBeatRequest;
import dev.switchboard.im.protocol.HeartBeatResponse;
import dev.switchboard.im.protocol.HistoryMessage;
import dev.switchboard.im.protocol.HistoryRequest;
import dev.switchboard.im.protocol.HistoryResponse;
import dev.switchboard.im.protocol.JoinGroupRequest;
import dev.switchboard.im.protocol.JoinGroupResponse;
import dev.switchboard.im.protocol.KickGroupMemberRequest;
import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.MuteGroupMemberRequest;
import dev.switchboard.im.protocol.MuteGroupRequest;
import dev.switchboard.im.protocol.MyGroupsRequest;
import dev.switchboard.im.protocol.MyGroupsResponse;
import dev.switchboard.im.protocol.QuitGroupRequest;
import dev.switchboard.im.protocol.QuitGroupResponse;
import dev.switchboard.im.protocol.RenameGroupRequest;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.protocol.SetGroupRoleRequest;
import dev.switchboard.im.protocol.TransferGroupRequest;
import dev.switchboard.im.testing.ChatClient;
import dev.switchboard.im.testing.RunningServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Named groups with roles (commands 48 to 60) over real loopback sockets, on the in-memory store. */
class GroupAdminEndToEndTest {

    private static final int V1 = 1;
    private static final int V2 = 2;
    private static final Duration QUIET = Duration.ofMillis(300);

    @RegisterExtension
    final RunningServer server = new RunningServer();

    /** Alice creates "Team" with the others (by name); every client has seen the created event. */
    private String team(ChatClient alice, ChatClient... others) throws Exception {
        List<String> names = java.util.Arrays.stream(others).map(ChatClient::name).toList();
        alice.send(new CreateGroupRequest(null, names, "Team"));
        CreateGroupResponse created = alice.next(CreateGroupResponse.class);
        assertThat(created.groupName()).isEqualTo("Team");
        assertThat(alice.nextEvent().event()).isEqualTo("created");
        for (ChatClient other : others) {
            assertThat(other.next(CreateGroupResponse.class).groupId()).isEqualTo(created.groupId());
            if (other.version() == V2) {
                GroupChanged event = other.nextEvent();
                assertThat(event.event()).isEqualTo("created");
                assertThat(event.groupName()).isEqualTo("Team");
                assertThat(event.by().userName()).isEqualTo("alice");
            }
        }
        return created.groupId();
    }

    /**
     * The next packet of this type, skipping deliveries and notices that may come before it (group messages, a
     * member's own copy included, and the push-only notices 21, 22 and 44: co-members hear each other's presence).
     */
    private static <T> T reply(ChatClient client, Class<T> type) throws Exception {
        while (true) {
            Object packet = client.next();
            if (type.isInstance(packet)) {
                return type.cast(packet);
            }
            assertThat(packet).as("only deliveries and notices before the %s", type.getSimpleName())
                    .isInstanceOfAny(GroupMessageResponse.class, GroupMemberJoined.class, GroupMemberQuit.class,
                            dev.switchboard.im.protocol.PresenceChanged.class);
        }
    }

    /** Posts to the group and waits for the SendAck. */
    private static SendAck post(ChatClient client, String group, String text, String clientMsgId) throws Exception {
        client.send(new GroupMessageRequest(group, text, clientMsgId));
        return reply(client, SendAck.class);
    }

    private static ErrorResponse refused(ChatClient client, Object request, String code) throws Exception {
        client.send(request);
        ErrorResponse error = reply(client, ErrorResponse.class);
        assertThat(error.code()).as(error.reason()).isEqualTo(code);
        return error;
    }

    private static GroupChangeResponse changed(ChatClient client, Object request) throws Exception {
        client.send(request);
        GroupChangeResponse response = reply(client, GroupChangeResponse.class);
        assertThat(response.changed()).isTrue();
        return response;
    }

    @Test
    void createWithANameListsMyGroupsAndInfoWithRoles() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            String group = team(alice, bob);

            bob.send(new MyGroupsRequest());
            List<GroupSummary> mine = reply(bob, MyGroupsResponse.class).groups();
            assertThat(mine).containsExactly(new GroupSummary(group, "Team", "member", 2, false, false));
            alice.send(new MyGroupsRequest());
            assertThat(reply(alice, MyGroupsResponse.class).groups()).extracting(GroupSummary::role)
                    .containsExactly("owner");

            bob.send(new GroupInfoRequest(group));
            GroupInfoResponse info = reply(bob, GroupInfoResponse.class);
            assertThat(info.groupName()).isEqualTo("Team");
            assertThat(info.members()).extracting(GroupMemberInfo::userName, GroupMemberInfo::role)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", "owner"),
                            org.assertj.core.groups.Tuple.tuple("bob", "member"));

            refused(alice, new CreateGroupRequest(null, List.of("bob"), "bad\u001bname"), "BAD_REQUEST");
            refused(alice, new CreateGroupRequest(null, List.of("bob"), "x".repeat(65)), "BAD_REQUEST");
            refused(alice, new GroupInfoRequest("nosuchgrp1"), "NO_SUCH_GROUP");
            try (ChatClient carol = ChatClient.login(server.port(), V2, "carol")) {
                refused(carol, new GroupInfoRequest(group), "NOT_A_MEMBER");
                carol.send(new MyGroupsRequest());
                assertThat(reply(carol, MyGroupsResponse.class).groups()).isEmpty();
            }
        }
    }

    @Test
    void aGroupWithoutANameIsNamedAfterItsMembers() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            alice.send(new CreateGroupRequest(null, List.of("bob")));
            assertThat(alice.next(CreateGroupResponse.class).groupName()).isEqualTo("alice, bob");
        }
    }

    @Test
    void onlyTheOwnerOrAnAdminRenames() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob");
                ChatClient carol = ChatClient.login(server.port(), V2, "carol")) {
            String group = team(alice, bob);

            refused(bob, new RenameGroupRequest(group, "Mine"), "NOT_ALLOWED");
            refused(carol, new RenameGroupRequest(group, "Mine"), "NOT_A_MEMBER");
            refused(alice, new RenameGroupRequest("nosuchgrp1", "Mine"), "NO_SUCH_GROUP");
            refused(alice, new RenameGroupRequest(group, " padded"), "BAD_REQUEST");
            refused(alice, new RenameGroupRequest(group, null), "BAD_REQUEST");
            refused(alice, new SetGroupRoleRequest(group, null, "bob", "boss"), "BAD_REQUEST");
            refused(bob, new SetGroupRoleRequest(group, null, "alice", "member"), "NOT_ALLOWED");

            changed(alice, new SetGroupRoleRequest(group, null, "bob", "admin"));
            GroupChanged promoted = bob.nextEvent();
            assertThat(promoted.event()).isEqualTo("promoted");
            assertThat(promoted.user().userName()).isEqualTo("bob");
            assertThat(alice.nextEvent().event()).isEqualTo("promoted");

            changed(bob, new RenameGroupRequest(group, "Crew"));
            GroupChanged renamed = alice.nextEvent();
            assertThat(renamed.event()).isEqualTo("renamed");
            assertThat(renamed.groupName()).isEqualTo("Crew");
            assertThat(renamed.by().userName()).isEqualTo("bob");
            assertThat(bob.nextEvent().event()).isEqualTo("renamed");

            bob.send(new RenameGroupRequest(group, "Crew"));
            assertThat(reply(bob, GroupChangeResponse.class).changed()).as("the same name again").isFalse();
            bob.expectNoEvent(QUIET);

            changed(alice, new SetGroupRoleRequest(group, null, "bob", "member"));
            assertThat(bob.nextEvent().event()).isEqualTo("demoted");
            refused(bob, new RenameGroupRequest(group, "Again"), "NOT_ALLOWED");
        }
    }

    @Test
    void addedMembersAreToldAndKickedOnesStopReceivingAndCannotPost() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob");
                ChatClient carol = ChatClient.login(server.port(), V2, "carol")) {
            String group = team(alice, bob);

            refused(bob, new AddGroupMembersRequest(group, null, List.of("carol")), "NOT_ALLOWED");
            refused(alice, new AddGroupMembersRequest(group, null, List.of("carol", "ghost")), "NO_SUCH_USER");
            refused(alice, new AddGroupMembersRequest(group, null, List.of()), "BAD_REQUEST");
            changed(alice, new AddGroupMembersRequest(group, null, List.of("carol", "bob")));
            GroupChanged added = carol.nextEvent();
            assertThat(added.event()).isEqualTo("added");
            assertThat(added.user().userName()).isEqualTo("carol");
            assertThat(bob.nextEvent().event()).isEqualTo("added");
            bob.expectNoEvent(QUIET); // bob was a member already: one event, for carol

            refused(bob, new KickGroupMemberRequest(group, null, "carol"), "NOT_ALLOWED");
            refused(alice, new KickGroupMemberRequest(group, null, "dave"), "NO_SUCH_USER");
            try (ChatClient dave = ChatClient.login(server.port(), V2, "dave")) {
                refused(alice, new KickGroupMemberRequest(group, dave.userId(), null), "NO_SUCH_MEMBER");
            }
            refused(alice, new KickGroupMemberRequest(group, null, "alice"), "NOT_ALLOWED");

            changed(alice, new KickGroupMemberRequest(group, carol.userId(), null));
            GroupChanged kicked = carol.nextEvent();
            assertThat(kicked.event()).isEqualTo("kicked");
            assertThat(kicked.user().userId()).isEqualTo(carol.userId());
            assertThat(bob.nextEvent().event()).isEqualTo("kicked");

            refused(carol, new GroupMessageRequest(group, "still here?", null), "NOT_A_MEMBER");
            post(alice, group, "without carol", "m1");
            assertThat(bob.next(GroupMessageResponse.class).message()).isEqualTo("without carol");
            carol.send(new HeartBeatRequest());
            assertThat(carol.next()).as("nothing but the heartbeat").isInstanceOf(HeartBeatResponse.class);
            carol.expectNoEvent(QUIET);
        }
    }

    @Test
    void commandsOnANonMemberOverTheAddLimitOrPastTheGroupSizeAreRefused() throws Exception {
        try (ImServer small = ImServer.start(ImServerSettings.forTests().withLimits(16_384, 3, 1_048_576),
                Clock.systemUTC(), false);
                ChatClient alice = ChatClient.login(small.port(), V2, "alice");
                ChatClient bob = ChatClient.login(small.port(), V2, "bob");
                ChatClient carol = ChatClient.login(small.port(), V2, "carol");
                ChatClient dave = ChatClient.login(small.port(), V2, "dave")) {
            String group = team(alice, bob);

            refused(alice, new SetGroupRoleRequest(group, dave.userId(), null, "admin"), "NO_SUCH_MEMBER");
            refused(alice, new MuteGroupMemberRequest(group, null, "dave", true), "NO_SUCH_MEMBER");
            refused(alice, new TransferGroupRequest(group, dave.userId(), null), "NO_SUCH_MEMBER");
            List<String> tooMany = java.util.stream.IntStream.rangeClosed(1, 101).mapToObj(i -> "user" + i).toList();
            refused(alice, new AddGroupMembersRequest(group, null, tooMany), "BAD_REQUEST");
            ErrorResponse full = refused(alice, new AddGroupMembersRequest(group, null, List.of("carol", "dave")),
                    "BAD_REQUEST");
            assertThat(full.reason()).isEqualTo("group " + group + " is full (3 members)");

            alice.send(new GroupInfoRequest(group));
            assertThat(reply(alice, GroupInfoResponse.class).members()).as("refusals change nothing")
                    .extracting(GroupMemberInfo::userName).containsExactly("alice", "bob");
            bob.expectNoEvent(QUIET);
        }
    }

    @Test
    void mutedMembersAndMutedGroupsAreRefused() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob");
                ChatClient carol = ChatClient.login(server.port(), V2, "carol")) {
            String group = team(alice, bob, carol);
            changed(alice, new SetGroupRoleRequest(group, null, "bob", "admin"));
            bob.nextEvent();
            carol.nextEvent();

            refused(carol, new MuteGroupMemberRequest(group, null, "bob", true), "NOT_ALLOWED");
            refused(bob, new MuteGroupMemberRequest(group, null, "alice", true), "NOT_ALLOWED");
            changed(bob, new MuteGroupMemberRequest(group, null, "carol", true));
            assertThat(carol.nextEvent().event()).isEqualTo("muted");
            ErrorResponse muted = refused(carol, new GroupMessageRequest(group, "hello?", "c1"), "MUTED");
            assertThat(muted.requestCommand()).isEqualTo(15);
            changed(bob, new MuteGroupMemberRequest(group, null, "carol", false));
            assertThat(carol.nextEvent().event()).isEqualTo("unmuted");
            post(carol, group, "back", "c2");

            refused(carol, new MuteGroupRequest(group, true), "NOT_ALLOWED");
            changed(bob, new MuteGroupRequest(group, true));
            assertThat(carol.nextEvent().event()).isEqualTo("group_muted");
            refused(carol, new GroupMessageRequest(group, "quiet?", "c3"), "MUTED");
            post(bob, group, "admins still talk", "b1");
            post(alice, group, "so do owners", "a1");
            carol.send(new MyGroupsRequest());
            assertThat(reply(carol, MyGroupsResponse.class).groups().get(0).muted()).isTrue();
            changed(alice, new MuteGroupRequest(group, false));
            post(carol, group, "free again", "c4");
        }
    }

    @Test
    void transferMakesTheOldOwnerAnAdmin() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            String group = team(alice, bob);
            refused(bob, new TransferGroupRequest(group, null, "bob"), "NOT_ALLOWED");
            refused(alice, new TransferGroupRequest(group, null, "alice"), "NOT_ALLOWED");
            changed(alice, new TransferGroupRequest(group, bob.userId(), null));
            GroupChanged event = bob.nextEvent();
            assertThat(event.event()).isEqualTo("owner_changed");
            assertThat(event.user().userName()).isEqualTo("bob");
            bob.send(new GroupInfoRequest(group));
            assertThat(reply(bob, GroupInfoResponse.class).members()).extracting(GroupMemberInfo::role)
                    .containsExactly("admin", "owner");
        }
    }

    @Test
    void anOwnerLeavingHandsOverToTheLongestStandingAdminElseMember() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob");
                ChatClient carol = ChatClient.login(server.port(), V2, "carol")) {
            String group = team(alice, bob, carol);
            changed(alice, new SetGroupRoleRequest(group, null, "carol", "admin"));
            bob.nextEvent();

            alice.send(new QuitGroupRequest(group));
            reply(alice, QuitGroupResponse.class);
            assertThat(alice.nextEvent().event()).as("the leaver hears of it too").isEqualTo("promoted");
            assertThat(alice.nextEvent().event()).isEqualTo("left");
            assertThat(bob.nextEvent().event()).isEqualTo("left");
            GroupChanged handedOver = bob.nextEvent();
            assertThat(handedOver.event()).isEqualTo("owner_changed");
            assertThat(handedOver.user().userName()).as("the admin, though bob joined first").isEqualTo("carol");

            carol.send(new QuitGroupRequest(group));
            reply(carol, QuitGroupResponse.class);
            bob.nextEvent(); // carol left
            assertThat(bob.nextEvent().user().userName()).as("no admin left: the longest-standing member")
                    .isEqualTo("bob");
            bob.send(new MyGroupsRequest());
            assertThat(reply(bob, MyGroupsResponse.class).groups().get(0).role()).isEqualTo("owner");

            bob.send(new QuitGroupRequest(group));
            reply(bob, QuitGroupResponse.class);
            refused(bob, new GroupInfoRequest(group), "NO_SUCH_GROUP");
        }
    }

    @Test
    void anOfflineMemberGetsTheEventsInOrderWithTheMessagesAfterReconnecting() throws Exception {
        String group;
        long lastSeq;
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice")) {
            try (ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
                group = team(alice, bob);
                post(alice, group, "first", "m1");
                lastSeq = bob.next(GroupMessageResponse.class).seq();
            }
            changed(alice, new RenameGroupRequest(group, "Night shift"));
            post(alice, group, "second", "m2");
            try (ChatClient carol = ChatClient.login(server.port(), V2, "carol")) {
                carol.send(new JoinGroupRequest(group));
                reply(carol, JoinGroupResponse.class);
            }
            post(alice, group, "third", "m3");
        }
        try (ChatClient bob = ChatClient.connect(server.port(), V2)) {
            bob.loginWith(new LoginRequest("bob", "pw-bob", null, lastSeq));
            GroupChanged renamed = bob.nextEvent();
            GroupMessageResponse second = bob.next(GroupMessageResponse.class);
            GroupChanged joined = bob.nextEvent();
            GroupMessageResponse third = bob.next(GroupMessageResponse.class);
            assertThat(renamed.event()).isEqualTo("renamed");
            assertThat(renamed.groupName()).isEqualTo("Night shift");
            assertThat(joined.event()).isEqualTo("joined");
            assertThat(joined.user().userName()).isEqualTo("carol");
            assertThat(List.of(renamed.seq(), second.seq(), joined.seq(), third.seq()))
                    .containsExactly(lastSeq + 1, lastSeq + 2, lastSeq + 3, lastSeq + 4);
            assertThat(second.message()).isEqualTo("second");
            assertThat(third.message()).isEqualTo("third");
        }
    }

    @Test
    void historyShowsTheEventsAndTheyAreNeverUnread() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            String group = team(alice, bob);
            post(alice, group, "hello", "m1");
            changed(alice, new RenameGroupRequest(group, "Renamed"));

            bob.send(new HistoryRequest(null, null, group, null, null));
            List<HistoryMessage> history = reply(bob, HistoryResponse.class).messages();
            assertThat(history).extracting(HistoryMessage::event).containsExactly("renamed", null, "created");
            assertThat(history.get(0).groupName()).isEqualTo("Renamed");
            assertThat(history.get(1).message()).isEqualTo("hello");

            bob.send(new ConversationsRequest(null, null));
            ConversationInfo conversation = reply(bob, ConversationsResponse.class).conversations().get(0);
            assertThat(conversation.unreadCount()).as("the message, not the events").isEqualTo(1);
            assertThat(conversation.lastMessage().message()).isEqualTo("hello");
        }
    }

    @Test
    void versionOneConnectionsNeverGetTheNewPackets() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient old = ChatClient.login(server.port(), V1, "olga")) {
            alice.send(new CreateGroupRequest(List.of(old.userId()), null, "Mixed"));
            String group = alice.next(CreateGroupResponse.class).groupId();
            alice.nextEvent();
            CreateGroupResponse pushed = old.next(CreateGroupResponse.class);
            assertThat(pushed.groupName()).as("no v2 field for v1").isNull();

            changed(alice, new RenameGroupRequest(group, "Renamed"));
            changed(alice, new MuteGroupRequest(group, true));
            changed(alice, new MuteGroupRequest(group, false));
            post(alice, group, "hi olga", "m1");
            assertThat(old.next(GroupMessageResponse.class).seq()).as("v1: no seq").isNull();

            old.send(new RenameGroupRequest(group, "v1 try")); // v1: refused without a reply
            old.send(new MyGroupsRequest());
            old.send(new HeartBeatRequest());
            assertThat(old.next()).isInstanceOf(HeartBeatResponse.class);
            old.expectNothing(QUIET);
            old.expectNoEvent(QUIET);
        }
    }
}
