package dev.switchboard.im.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.EditMessageRequest;
import dev.switchboard.im.protocol.GroupMessageRequest;
import dev.switchboard.im.protocol.QuitGroupRequest;
import dev.switchboard.im.protocol.QuitGroupResponse;
import dev.switchboard.im.protocol.GroupMessageResponse;
import dev.switchboard.im.protocol.HeartBeatRequest;
import dev.switchboard.im.protocol.HeartBeatResponse;
import dev.switchboard.im.protocol.HistoryMessage;
import dev.switchboard.im.protocol.HistoryRequest;
import dev.switchboard.im.protocol.HistoryResponse;
import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.MessageChangeResponse;
import dev.switchboard.im.protocol.MessageEdited;
import dev.switchboard.im.protocol.MessageRecalled;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.RecallMessageRequest;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.testing.ChatClient;
import dev.switchboard.im.testing.FakeClock;
import dev.switchboard.im.testing.RunningServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Edit and recall (commands 37, 38, 39, 64, 65) over real loopback sockets. */
class EditRecallEndToEndTest {

    private static final int V1 = 1;
    private static final int V2 = 2;
    private static final Duration QUIET = Duration.ofMillis(300);

    @RegisterExtension
    final RunningServer server = new RunningServer();

    @Test
    void anEditReachesEveryDeviceOfBothSidesAndHistoryShowsIt() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient alicePhone = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            alice.send(new MessageRequest(null, "helo", null, "bob"));
            long id = alice.next(SendAck.class).messageId();
            bob.next(MessageResponse.class);

            alice.send(new EditMessageRequest(null, "bob", null, id, "hello"));
            List<Object> before = new ArrayList<>();
            MessageChangeResponse done = alice.nextSkipping(MessageChangeResponse.class, before);
            MessageEdited atBob = bob.next(MessageEdited.class);
            MessageEdited onPhone = alicePhone.next(MessageEdited.class);
            // The author's own copy of the event and the reply may arrive in either order.
            MessageEdited atAlice = before.isEmpty() ? alice.next(MessageEdited.class) : (MessageEdited) before.get(0);

            assertThat(done.messageId()).isEqualTo(id);
            assertThat(atBob.messageId()).isEqualTo(id);
            assertThat(atBob.message()).isEqualTo("hello");
            assertThat(atBob.peerId()).as("named as bob names it").isEqualTo(alice.userId());
            assertThat(atBob.fromUserName()).isEqualTo("alice");
            assertThat(atBob.editedAt()).isEqualTo(done.changedAt());
            assertThat(atBob.seq()).isEqualTo(2);
            assertThat(onPhone.peerId()).isEqualTo(bob.userId());
            assertThat(atAlice.seq()).isEqualTo(onPhone.seq());

            bob.send(new HistoryRequest(alice.userId(), null, null, null, null));
            HistoryMessage shown = bob.next(HistoryResponse.class).messages().get(0);
            assertThat(shown.message()).isEqualTo("hello");
            assertThat(shown.editedAt()).isEqualTo(done.changedAt());
            assertThat(shown.recalled()).isNull();
        }
    }

    @Test
    void aRecalledMessageNeverReappearsNotEvenToADeviceThatWasOffline() throws Exception {
        long id;
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            alice.send(new CreateGroupRequest(null, List.of("bob")));
            String groupId = alice.next(CreateGroupResponse.class).groupId();
            bob.next(CreateGroupResponse.class);
            bob.close(); // offline from here, nothing acknowledged
            alice.send(new GroupMessageRequest(groupId, "a secret", null));
            List<Object> skipped = new ArrayList<>();
            id = alice.nextSkipping(SendAck.class, skipped).messageId();
            alice.send(new EditMessageRequest(null, null, groupId, id, "a bigger secret"));
            alice.nextSkipping(MessageChangeResponse.class, skipped);
            alice.send(new RecallMessageRequest(null, null, groupId, id));
            alice.nextSkipping(MessageChangeResponse.class, skipped);

            alice.send(new HistoryRequest(null, null, groupId, null, null));
            HistoryMessage shown = alice.nextSkipping(HistoryResponse.class, skipped).messages().get(0);
            assertThat(shown.recalled()).isTrue();
            assertThat(shown.message()).isEmpty();
            assertThat(alice.errorCodeOf(new EditMessageRequest(null, null, groupId, id, "again")))
                    .isEqualTo("NO_SUCH_MESSAGE");
        }
        try (ChatClient bob = ChatClient.connect(server.port(), V2)) {
            bob.loginWith(new LoginRequest("bob", "pw-bob", null, 0L));
            List<MessageRecalled> backlog = bob.next(MessageRecalled.class, 3);
            assertThat(backlog).extracting(MessageRecalled::messageId).containsOnly(id);
            assertThat(backlog).as("after the group's created event, seq 1").extracting(MessageRecalled::seq)
                    .containsExactly(2L, 3L, 4L);
            bob.expectNothingButPresence(QUIET); // alice's going offline may settle meanwhile
        }
    }

    @TempDir
    Path dataDir;

    /**
     * An edit by name and a recall by id, pipelined, on SQLite (where lookups can go through the store's writer):
     * both succeed, in that order. The handlers run each change as one per-connection step for this; this test did
     * not catch a reordering without that (the accounts were already cached), so it guards the outcome only.
     */
    @Test
    void pipelinedChangesOfOneMessageTakeEffectInTheOrderSent() throws Exception {
        try (ImServer sqlite = ImServer.start(ImServerSettings.forTests().withStore("sqlite").withDataDir(dataDir),
                Clock.systemUTC(), false);
                ChatClient alice = ChatClient.login(sqlite.port(), V2, "alice");
                ChatClient bob = ChatClient.login(sqlite.port(), V2, "bob")) {
            alice.send(new MessageRequest(bob.userId(), "first", null, null));
            long id = alice.next(SendAck.class).messageId();
            bob.next(MessageResponse.class);

            alice.send(new EditMessageRequest(null, "bob", null, id, "second"));
            alice.send(new RecallMessageRequest(bob.userId(), null, null, id));
            List<Object> events = new ArrayList<>();
            MessageChangeResponse edit = alice.nextSkipping(MessageChangeResponse.class, events);
            MessageChangeResponse recall = alice.nextSkipping(MessageChangeResponse.class, events);
            assertThat(edit.messageId()).isEqualTo(id);
            assertThat(recall.messageId()).isEqualTo(id);
            assertThat(bob.next(MessageEdited.class).message()).isEqualTo("second");
            assertThat(bob.next(MessageRecalled.class).messageId()).isEqualTo(id);
        }
    }

    @Test
    void refusalsNameTheirReason() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            alice.send(new MessageRequest(null, "mine", null, "bob"));
            long id = alice.next(SendAck.class).messageId();
            bob.next(MessageResponse.class);

            assertThat(bob.errorCodeOf(new EditMessageRequest(alice.userId(), null, null, id, "yours")))
                    .isEqualTo("NOT_THE_AUTHOR");
            assertThat(bob.errorCodeOf(new RecallMessageRequest(alice.userId(), null, null, id)))
                    .isEqualTo("NOT_THE_AUTHOR");
            assertThat(alice.errorCodeOf(new EditMessageRequest(null, "bob", null, id + 1000, "x")))
                    .isEqualTo("NO_SUCH_MESSAGE");
            assertThat(alice.errorCodeOf(new EditMessageRequest(null, "carol", null, id, "x"))).isEqualTo("NO_SUCH_USER");
            assertThat(alice.errorCodeOf(new EditMessageRequest(null, "bob", null, id, ""))).isEqualTo("BAD_REQUEST");
            assertThat(alice.errorCodeOf(new EditMessageRequest(null, "bob", null, 0, "x"))).isEqualTo("BAD_REQUEST");
            assertThat(alice.errorCodeOf(new EditMessageRequest(null, null, null, id, "x"))).isEqualTo("BAD_REQUEST");
            assertThat(alice.errorCodeOf(new RecallMessageRequest(null, null, "NoSuchGrp0", id))).isEqualTo("NO_SUCH_GROUP");
            assertThat(alice.errorCodeOf(new EditMessageRequest(null, "bob", null, id, "x".repeat(16_385))))
                    .as("over --max-message-length").isEqualTo("BAD_REQUEST");
            bob.expectNothingButPresence(QUIET);

            alice.send(new RecallMessageRequest(null, "bob", null, id));
            alice.nextSkipping(MessageChangeResponse.class, new ArrayList<>());
            bob.next(MessageRecalled.class);
            assertThat(alice.errorCodeOf(new RecallMessageRequest(null, "bob", null, id)))
                    .as("recalled once only").isEqualTo("NO_SUCH_MESSAGE");
        }
    }

    @Test
    void anAuthorWhoLeftTheGroupCanNoLongerChangeItsMessagesAndEventsAreNoMessages() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            alice.send(new CreateGroupRequest(null, List.of("bob")));
            String groupId = alice.next(CreateGroupResponse.class).groupId();
            bob.next(CreateGroupResponse.class);
            alice.send(new GroupMessageRequest(groupId, "before I go", null));
            List<Object> skipped = new ArrayList<>();
            long id = alice.nextSkipping(SendAck.class, skipped).messageId();
            alice.send(new HistoryRequest(null, null, groupId, null, null));
            HistoryMessage event = alice.nextSkipping(HistoryResponse.class, skipped).messages().get(1);
            assertThat(event.event()).isEqualTo("created");
            long created = event.messageId();
            assertThat(alice.errorCodeOf(new RecallMessageRequest(null, null, groupId, created)))
                    .as("a group event is no message").isEqualTo("NO_SUCH_MESSAGE");

            alice.send(new QuitGroupRequest(groupId));
            alice.nextSkipping(QuitGroupResponse.class, skipped);
            assertThat(alice.errorCodeOf(new EditMessageRequest(null, null, groupId, id, "changed my mind")))
                    .isEqualTo("NOT_A_MEMBER");
            assertThat(alice.errorCodeOf(new RecallMessageRequest(null, null, groupId, id))).isEqualTo("NOT_A_MEMBER");
        }
    }

    @Test
    void pastTheWindowAChangeIsTooLate() throws Exception {
        FakeClock clock = new FakeClock();
        ImServerSettings windows = ImServerSettings.forTests()
                .withChangeWindows(Duration.ofMinutes(15), Duration.ofMinutes(2));
        try (ImServer strict = ImServer.start(windows, clock, false);
                ChatClient alice = ChatClient.login(strict.port(), V2, "alice");
                ChatClient bob = ChatClient.login(strict.port(), V2, "bob")) {
            alice.send(new MessageRequest(null, "final", null, "bob"));
            long id = alice.next(SendAck.class).messageId();
            assertThat(bob.next(MessageResponse.class).message()).isEqualTo("final");

            clock.advance(Duration.ofMinutes(2).plusMillis(1));
            assertThat(alice.errorCodeOf(new RecallMessageRequest(null, "bob", null, id))).isEqualTo("TOO_LATE");
            alice.send(new EditMessageRequest(null, "bob", null, id, "still in time to edit"));
            assertThat(alice.nextSkipping(MessageChangeResponse.class, new ArrayList<>()).messageId()).isEqualTo(id);
            bob.next(MessageEdited.class);

            clock.advance(Duration.ofMinutes(13));
            assertThat(alice.errorCodeOf(new EditMessageRequest(null, "bob", null, id, "x"))).isEqualTo("TOO_LATE");
        }
    }

    @Test
    void version1SeesTheEditedTextAndNothingOfARecall() throws Exception {
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient tutorial = ChatClient.login(server.port(), V1, "old")) {
            alice.send(new MessageRequest(tutorial.userId(), "first", null, null));
            alice.next(SendAck.class);
            assertThat(tutorial.next(MessageResponse.class).message()).isEqualTo("first");
            alice.send(new MessageRequest(tutorial.userId(), "second", null, null));
            long second = alice.next(SendAck.class).messageId();
            tutorial.next(MessageResponse.class);
            alice.send(new RecallMessageRequest(tutorial.userId(), null, null, second));
            alice.nextSkipping(MessageChangeResponse.class, new ArrayList<>());

            tutorial.send(new EditMessageRequest(alice.userId(), null, null, second, "x"));
            tutorial.send(new HeartBeatRequest());
            assertThat(tutorial.next()).as("no v1 packet for events, no reply to a v2 command")
                    .isInstanceOf(HeartBeatResponse.class);
        }
    }
}
