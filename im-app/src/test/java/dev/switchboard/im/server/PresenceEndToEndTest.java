package dev.switchboard.im.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.ErrorResponse;
import dev.switchboard.im.protocol.HeartBeatRequest;
import dev.switchboard.im.protocol.HeartBeatResponse;
import dev.switchboard.im.protocol.ListGroupMembersRequest;
import dev.switchboard.im.protocol.ListGroupMembersResponse;
import dev.switchboard.im.protocol.Member;
import dev.switchboard.im.protocol.PresenceChanged;
import dev.switchboard.im.protocol.PresenceQueryRequest;
import dev.switchboard.im.protocol.PresenceQueryResponse;
import dev.switchboard.im.protocol.PresenceVisibilityRequest;
import dev.switchboard.im.protocol.PresenceVisibilityResponse;
import dev.switchboard.im.protocol.TypingNotice;
import dev.switchboard.im.protocol.TypingRequest;
import dev.switchboard.im.testing.ChatClient;
import dev.switchboard.im.testing.RunningServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Typing notices and presence (commands 40 to 46) over real loopback sockets. The coalescing rules themselves are
 * tested on fake time beside {@code PresenceTracker}; here the settle delay is short and real.
 */
class PresenceEndToEndTest {

    private static final int V1 = 1;
    private static final int V2 = 2;
    private static final Duration SETTLE = Duration.ofMillis(1_500);
    private static final Duration QUIET = Duration.ofMillis(300);

    @RegisterExtension
    final RunningServer server = new RunningServer(ImServerSettings.forTests().withPresenceSettle(SETTLE));

    @TempDir
    Path dir;

    /** Registers the names (logged in and out again) so that groups can name them. */
    private void register(String... names) throws Exception {
        for (String name : names) {
            try (ChatClient ignored = ChatClient.login(server.port(), V2, name)) {
                // registered
            }
        }
    }

    private static String group(ChatClient creator, String... others) throws Exception {
        creator.send(new CreateGroupRequest(null, List.of(others)));
        return next(creator, CreateGroupResponse.class).groupId();
    }

    /** The next packet of this type, skipping presence pushes (which depend on timing) unless they are asked for. */
    private static <T> T next(ChatClient client, Class<T> type) throws Exception {
        while (true) {
            Object packet = client.next();
            if (type.isInstance(packet)) {
                return type.cast(packet);
            }
            assertThat(packet).as("while waiting for a %s", type.getSimpleName()).isInstanceOf(PresenceChanged.class);
        }
    }

    /** Nothing but presence pushes arrives for a while: a round trip, then a pause. */
    private static void noTypingNotice(ChatClient client) throws Exception {
        client.send(new HeartBeatRequest());
        next(client, HeartBeatResponse.class);
        long until = System.nanoTime() + QUIET.toNanos();
        while (System.nanoTime() < until) {
            Object packet = client.nextOrNull(10);
            if (packet != null) {
                assertThat(packet).as("no typing notice").isNotInstanceOf(TypingNotice.class);
            }
        }
    }

    /** Asks until the user reads offline (after the settle delay of an earlier logout), dropping other pushes. */
    private static void awaitOffline(ChatClient asker, String name) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            asker.send(new PresenceQueryRequest(null, List.of(name)));
            if (!next(asker, PresenceQueryResponse.class).users().get(0).online()) {
                return;
            }
            assertThat(System.nanoTime()).as("%s offline within 10 s", name).isLessThan(deadline);
            asker.nextOrNull(100);
        }
    }

    private static ErrorResponse refusal(ChatClient client, Object request) throws Exception {
        client.send(request);
        return next(client, ErrorResponse.class);
    }

    // ---- typing

    @Test
    void typingInAGroupReachesTheOtherOnlineV2MembersOnly() throws Exception {
        register("bob", "dave");
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient aliceTablet = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob");
                ChatClient carol = ChatClient.login(server.port(), V2, "carol");
                ChatClient dave = ChatClient.login(server.port(), V1, "dave")) {
            String groupId = group(alice, "bob", "dave");
            next(bob, CreateGroupResponse.class);
            next(aliceTablet, CreateGroupResponse.class);
            next(dave, CreateGroupResponse.class);

            alice.send(new TypingRequest(null, null, groupId));

            TypingNotice notice = next(bob, TypingNotice.class);
            assertThat(notice.fromUserId()).isEqualTo(alice.userId());
            assertThat(notice.fromUserName()).isEqualTo("alice");
            assertThat(notice.groupId()).isEqualTo(groupId);
            assertThat(notice.timestamp()).isPositive();
            noTypingNotice(alice);
            noTypingNotice(aliceTablet);
            noTypingNotice(carol);
            dave.send(new HeartBeatRequest());
            assertThat(dave.next()).as("a v1 member gets nothing of it").isInstanceOf(HeartBeatResponse.class);
            dave.expectNothing(QUIET);
        }
    }

    @Test
    void typingToAUserByNameOrIdIsForwardedOncePerIntervalPerConversation() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            String groupId = group(alice, "bob");
            next(bob, CreateGroupResponse.class);

            alice.send(new TypingRequest(null, "bob", null));
            TypingNotice direct = next(bob, TypingNotice.class);
            assertThat(direct.groupId()).as("a direct conversation").isNull();
            assertThat(direct.fromUserName()).isEqualTo("alice");

            // Within the interval: dropped, by id as by name, without a reply; another conversation is not.
            alice.send(new TypingRequest(bob.userId(), null, null));
            alice.send(new TypingRequest(null, "bob", null));
            alice.send(new TypingRequest(null, null, groupId));
            assertThat(next(bob, TypingNotice.class).groupId()).as("the next notice is the group's")
                    .isEqualTo(groupId);
            alice.send(new TypingRequest(null, null, groupId));
            noTypingNotice(bob);
            alice.send(new HeartBeatRequest());
            assertThat(next(alice, HeartBeatResponse.class)).as("no reply to typing, forwarded or not").isNotNull();
        }
    }

    @Test
    void typingIsRefusedForUnknownTargetsNonMembersAndWithoutATarget() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient carol = ChatClient.login(server.port(), V2, "carol")) {
            String groupId = group(alice);

            assertThat(refusal(alice, new TypingRequest(null, "ghost", null)))
                    .extracting(ErrorResponse::requestCommand, ErrorResponse::code).containsExactly(40, "NO_SUCH_USER");
            assertThat(refusal(alice, new TypingRequest("nobody0000", null, null)).code()).isEqualTo("NO_SUCH_USER");
            assertThat(refusal(alice, new TypingRequest(null, null, "nogroup000")).code())
                    .isEqualTo("NO_SUCH_GROUP");
            assertThat(refusal(carol, new TypingRequest(null, null, groupId)).code()).isEqualTo("NOT_A_MEMBER");
            assertThat(refusal(alice, new TypingRequest(null, null, null)).code()).isEqualTo("BAD_REQUEST");
            assertThat(refusal(alice, new TypingRequest("", "", "")).code()).isEqualTo("BAD_REQUEST");
        }
    }

    @Test
    void aV1ConnectionCannotUseTheNewCommandsAndGetsNoReply() throws Exception {
        try (ChatClient bob = ChatClient.login(server.port(), V2, "bob");
                ChatClient old = ChatClient.login(server.port(), V1, "old")) {
            old.send(new TypingRequest(null, "bob", null));
            old.send(new PresenceQueryRequest(List.of(bob.userId()), null));
            old.send(new PresenceVisibilityRequest(true));
            old.send(new HeartBeatRequest());
            assertThat(old.next()).isInstanceOf(HeartBeatResponse.class);
            old.expectNothing(QUIET);
            noTypingNotice(bob);
        }
    }

    @Test
    void theServerToClientCodesAreRefusedFromAClient() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice")) {
            Member me = new Member(alice.userId(), "alice", true);
            List<Object> serverPackets = List.of(new TypingNotice(alice.userId(), "alice", null, 1),
                    new PresenceQueryResponse(List.of(me)), new PresenceChanged(me, 1),
                    new PresenceVisibilityResponse(true));
            List<Integer> refused = new ArrayList<>();
            for (Object packet : serverPackets) {
                ErrorResponse error = refusal(alice, packet);
                assertThat(error.code()).isEqualTo("UNKNOWN_COMMAND");
                refused.add(error.requestCommand());
            }
            assertThat(refused).containsExactly(41, 43, 44, 46);
        }
    }

    // ---- presence

    @Test
    void presenceIsPushedOnceOnFirstLoginNotForASecondDeviceAndOfflineOnlyAfterTheSettleDelay() throws Exception {
        register("bob");
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient old = ChatClient.login(server.port(), V1, "old")) {
            group(alice, "bob", "old");
            old.next(CreateGroupResponse.class);
            awaitOffline(alice, "bob"); // registering logged bob in; his settle delay runs out first

            ChatClient bob = ChatClient.login(server.port(), V2, "bob");
            PresenceChanged online = alice.next(PresenceChanged.class);
            assertThat(online.user()).isEqualTo(new Member(bob.userId(), "bob", true));
            assertThat(online.timestamp()).isPositive();

            ChatClient bobPhone = ChatClient.login(server.port(), V2, "bob");
            bob.close();
            alice.expectNothing(QUIET); // a second device, and one of two leaving, are no news

            long closed = System.nanoTime();
            bobPhone.close();
            PresenceChanged offline = alice.next(PresenceChanged.class);
            assertThat(Duration.ofNanos(System.nanoTime() - closed)).as("announced after the settle delay")
                    .isGreaterThanOrEqualTo(SETTLE.minusMillis(100));
            assertThat(offline.user()).isEqualTo(new Member(bobPhone.userId(), "bob", false));
            old.send(new HeartBeatRequest());
            assertThat(old.next()).as("v1 connections get no presence").isInstanceOf(HeartBeatResponse.class);
            old.expectNothing(QUIET);
        }
    }

    @Test
    void aReconnectWithinTheSettleDelayIsNotAnnounced() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            group(alice, "bob");
            next(bob, CreateGroupResponse.class);
            Object late = alice.nextOrNull(QUIET.toMillis());
            if (late != null) {
                // bob's login itself, when its audience was read after the group made them co-members (a slow run)
                assertThat(late).isInstanceOf(PresenceChanged.class);
                assertThat(((PresenceChanged) late).user()).isEqualTo(new Member(bob.userId(), "bob", true));
                alice.expectNothing(QUIET);
            }
            bob.close();
            try (ChatClient again = ChatClient.login(server.port(), V2, "bob")) {
                alice.expectNothing(SETTLE.plus(QUIET));
                assertThat(again.isConnected()).isTrue();
            }
        }
    }

    @Test
    void aHiddenUserAppearsOfflineInPushesQueriesAndMemberLists() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            String groupId = group(alice, "bob");
            next(bob, CreateGroupResponse.class);

            bob.send(new PresenceVisibilityRequest(true));
            assertThat(next(bob, PresenceVisibilityResponse.class).hidden()).isTrue();
            PresenceChanged change = alice.next(PresenceChanged.class);
            if (change.user().online()) {
                // bob's login itself, when its settle delay ran out after the group made them co-members (a slow run)
                change = alice.next(PresenceChanged.class);
            }
            assertThat(change.user().online()).as("hiding is announced at once").isFalse();

            alice.send(new PresenceQueryRequest(List.of(bob.userId(), alice.userId()), null));
            assertThat(next(alice, PresenceQueryResponse.class).users()).containsExactly(
                    new Member(bob.userId(), "bob", false), new Member(alice.userId(), "alice", true));
            alice.send(new ListGroupMembersRequest(groupId));
            assertThat(next(alice, ListGroupMembersResponse.class).sessionList()).containsExactly(
                    new Member(alice.userId(), "alice", true), new Member(bob.userId(), "bob", false));
            bob.send(new PresenceQueryRequest(null, List.of("bob")));
            assertThat(next(bob, PresenceQueryResponse.class).users()).as("one's own presence is the truth")
                    .containsExactly(new Member(bob.userId(), "bob", true));

            bob.send(new PresenceVisibilityRequest(false));
            assertThat(next(bob, PresenceVisibilityResponse.class).hidden()).isFalse();
            assertThat(alice.next(PresenceChanged.class).user()).isEqualTo(new Member(bob.userId(), "bob", true));
        }
    }

    @Test
    void queriesReportUnknownUsersOfflineAndRefuseTooManyOrNone() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            alice.send(new PresenceQueryRequest(List.of("nobody0000", bob.userId(), bob.userId()),
                    List.of("ghost", "bob")));
            assertThat(next(alice, PresenceQueryResponse.class).users()).containsExactly(
                    new Member("nobody0000", null, false), new Member(bob.userId(), "bob", true),
                    new Member(null, "ghost", false), new Member(bob.userId(), "bob", true));

            List<String> tooMany = IntStream.range(0, 201).mapToObj(i -> "id" + i).toList();
            ErrorResponse over = refusal(alice, new PresenceQueryRequest(tooMany, null));
            assertThat(over).extracting(ErrorResponse::requestCommand, ErrorResponse::code)
                    .containsExactly(42, "BAD_REQUEST");
            assertThat(over.reason()).contains("200").contains("201");
            assertThat(refusal(alice, new PresenceQueryRequest(tooMany.subList(0, 150), tooMany.subList(0, 51)))
                    .code()).as("both lists count").isEqualTo("BAD_REQUEST");
            assertThat(refusal(alice, new PresenceQueryRequest(null, null)).code()).isEqualTo("BAD_REQUEST");
            assertThat(refusal(alice, new PresenceQueryRequest(List.of(""), null)).code()).isEqualTo("BAD_REQUEST");
            assertThat(refusal(alice, new PresenceVisibilityRequest(null)))
                    .extracting(ErrorResponse::requestCommand, ErrorResponse::code).containsExactly(45, "BAD_REQUEST");

            alice.send(new PresenceQueryRequest(tooMany.subList(0, 200), List.of()));
            assertThat(next(alice, PresenceQueryResponse.class).users()).hasSize(200);
        }
    }

    @Test
    void theChoiceToHideSurvivesARestartOnSqlite() throws Exception {
        ImServerSettings sqlite = ImServerSettings.forTests().withStore("sqlite").withDataDir(dir)
                .withPresenceSettle(SETTLE);
        String groupId;
        try (ImServer first = ImServer.start(sqlite, Clock.systemUTC(), false);
                ChatClient alice = ChatClient.login(first.port(), V2, "alice");
                ChatClient bob = ChatClient.login(first.port(), V2, "bob")) {
            groupId = group(alice, "bob");
            next(bob, CreateGroupResponse.class);
            bob.send(new PresenceVisibilityRequest(true));
            assertThat(next(bob, PresenceVisibilityResponse.class).hidden()).isTrue();
        }
        try (ImServer second = ImServer.start(sqlite, Clock.systemUTC(), false);
                ChatClient alice = ChatClient.login(second.port(), V2, "alice")) {
            ChatClient bob = ChatClient.login(second.port(), V2, "bob");
            alice.expectNothing(QUIET); // no ONLINE for a hidden user
            alice.send(new PresenceQueryRequest(null, List.of("bob")));
            assertThat(next(alice, PresenceQueryResponse.class).users()).extracting(Member::online)
                    .containsExactly(false);
            alice.send(new ListGroupMembersRequest(groupId));
            assertThat(next(alice, ListGroupMembersResponse.class).sessionList()).extracting(Member::online)
                    .containsExactly(true, false);
            bob.close();
            alice.expectNothing(SETTLE.plus(QUIET)); // nor an OFFLINE
        }
    }
}
