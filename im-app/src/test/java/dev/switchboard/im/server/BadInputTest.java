package dev.switchboard.im.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.ErrorResponse;
import dev.switchboard.im.protocol.HeartBeatRequest;
import dev.switchboard.im.protocol.HeartBeatResponse;
import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.LoginResponse;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.testing.ChatClient;
import dev.switchboard.im.testing.RawConnection;
import dev.switchboard.im.testing.RawConnection.RawFrame;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every kind of bad input gets its defined outcome, and the server keeps serving everyone else. */
class BadInputTest {

    private ImServer server;

    private void start(ImServerSettings settings) {
        server = ImServer.start(settings, Clock.systemUTC(), false);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void wrongMagicClosesOnlyThatConnection() throws Exception {
        start(ImServerSettings.forTests());
        try (ChatClient bystander = ChatClient.login(server.port(), 2, "bystander");
                RawConnection bad = new RawConnection(server.port())) {
            bad.write(new byte[] {0x12, 0x34, 0x56, 0x79});
            assertThat(bad.closedByServer()).isTrue();
            bystander.send(new HeartBeatRequest());
            assertThat(bystander.next()).isInstanceOf(HeartBeatResponse.class);
        }
    }

    @Test
    void malformedAndHugePresenceAndTypingBodiesAreRefusedAndTheConnectionServesOn() throws Exception {
        start(ImServerSettings.forTests());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.write(RawConnection.frame(2, 1, 1, "{\"userName\":\"mallory\",\"password\":\"pw\"}"));
            assertThat(raw.read().command()).isEqualTo(2);
            StringBuilder tooMany = new StringBuilder("{\"userIds\":[");
            for (int i = 0; i < 10_000; i++) {
                tooMany.append(i == 0 ? "" : ",").append("\"id").append(i).append('"');
            }
            tooMany.append("]}");
            StringBuilder beyondParser = new StringBuilder("{\"userNames\":[");
            for (int i = 0; i < 70_000; i++) {
                beyondParser.append(i == 0 ? "" : ",").append("\"n\"");
            }
            beyondParser.append("]}");
            List<String> bodies = List.of(
                    "40:{\"groupId\":[1,2]}", "40:{\"toUserId\":{}}", "40:[]", "40:{}",
                    "42:{\"userNames\":[null]}",
                    "42:" + tooMany, "42:" + beyondParser, "42:{}",
                    "45:{\"hidden\":[]}", "45:{\"hidden\":{}}", "45:{}");
            for (String entry : bodies) {
                int command = Integer.parseInt(entry.substring(0, 2));
                raw.write(RawConnection.frame(2, 1, command, entry.substring(3)));
                RawFrame reply = raw.read();
                String shown = entry.length() > 60 ? entry.substring(0, 60) + "..." : entry;
                assertThat(reply.command()).as(shown).isEqualTo(23);
                // fastjson reads a scalar field given an array or object as its JSON text: an unknown id then.
                String expected = entry.startsWith("40:{\"groupId\"") ? "NO_SUCH_GROUP"
                        : entry.startsWith("40:{\"toUserId\"") ? "NO_SUCH_USER" : "BAD_REQUEST";
                assertThat(reply.body()).as(shown).contains("\"code\":\"" + expected + "\"")
                        .contains("\"requestCommand\":" + command);
            }
            // fastjson reads a string where a list is expected as a list of that one string: answered, offline.
            raw.write(RawConnection.frame(2, 1, 42, "{\"userIds\":\"not-a-list\"}"));
            assertThat(raw.read().body()).contains("\"userId\":\"not-a-list\"").contains("\"online\":false");
            raw.write(RawConnection.frame(2, 1, 42, "{\"userNames\":[\"mallory\"]}"));
            RawFrame answer = raw.read();
            assertThat(answer.command()).as("still serving").isEqualTo(43);
            assertThat(answer.body()).contains("\"online\":true");
        }
    }

    @Test
    void oversizedAndNegativeLengthsClose() throws Exception {
        start(ImServerSettings.forTests().withLimits(16_384, 5_000, 1024));
        for (int length : new int[] {1025, -1, Integer.MAX_VALUE}) {
            try (RawConnection bad = new RawConnection(server.port())) {
                byte[] header = ByteBuffer.allocate(11).putInt(0x12345678).put((byte) 2).put((byte) 1)
                        .put((byte) 1).putInt(length).array();
                bad.write(header);
                assertThat(bad.closedByServer()).as("length %d", length).isTrue();
            }
        }
    }

    @Test
    void v2UnknownCommandAndMalformedBodyGetErrorsAndStayOpen() throws Exception {
        start(ImServerSettings.forTests());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.write(RawConnection.frame(2, 1, 99, "{}"));
            RawFrame unknown = raw.read();
            assertThat(unknown.command()).isEqualTo(23);
            assertThat(unknown.body()).contains("\"code\":\"UNKNOWN_COMMAND\"").contains("\"requestCommand\":99");
            raw.write(RawConnection.frame(2, 1, 1, "{\"userName\":"));
            RawFrame malformed = raw.read();
            assertThat(malformed.body()).contains("BAD_REQUEST");
            raw.write(RawConnection.frame(2, 7, 17, "{}"));
            assertThat(raw.read().body()).as("unknown serializer").contains("BAD_REQUEST");
            raw.write(RawConnection.frame(2, 1, 17, "{}"));
            assertThat(raw.read().command()).isEqualTo(18);
        }
    }

    @Test
    void v1NeverReceivesCodesAbove18() throws Exception {
        start(ImServerSettings.forTests());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.write(RawConnection.frame(1, 1, 99, "{}"));
            raw.write(RawConnection.frame(1, 1, 3, "{\"toUserId\":\"x\",\"message\":\"hi\"}"));
            raw.write(RawConnection.frame(1, 1, 24, "{}"));
            raw.write(RawConnection.frame(1, 1, 1, "not json"));
            raw.write(RawConnection.frame(1, 1, 17, "{}"));
            RawFrame first = raw.read();
            RawFrame second = raw.read();
            assertThat(first.command()).as("malformed login → v1 LoginResponse").isEqualTo(2);
            assertThat(first.body()).contains("\"success\":false");
            assertThat(second.command()).isEqualTo(18);
        }
    }

    @Test
    void unsupportedVersionCloses() throws Exception {
        start(ImServerSettings.forTests());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.write(RawConnection.frame(7, 1, 17, "{}"));
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void oversizedMessageIsRefused() throws Exception {
        start(ImServerSettings.forTests().withLimits(10, 5_000, 1 << 20));
        try (ChatClient alice = ChatClient.login(server.port(), 2, "alice")) {
            alice.send(new MessageRequest(alice.userId(), "this is longer than ten", "c1", null));
            ErrorResponse error = alice.next(ErrorResponse.class);
            assertThat(error.code()).isEqualTo("BAD_REQUEST");
            assertThat(error.reason()).contains("10");
        }
    }

    /** Sends the packets and counts the RATE_LIMITED answers among the next {@code replies} packets received. */
    private static int limited(ChatClient client, List<Object> packets, int replies) throws Exception {
        for (Object packet : packets) {
            client.send(packet);
        }
        int limited = 0;
        for (int i = 0; i < replies; i++) {
            Object packet = client.nextOrNull(2_000);
            if (packet instanceof ErrorResponse error && error.code().equals("RATE_LIMITED")) {
                limited++;
            }
        }
        return limited;
    }

    @Test
    void memberListsCostMoreThanMessages() throws Exception {
        start(ImServerSettings.forTests().withMessagesPerSecond(10)); // bursts of 20 tokens per connection
        try (ChatClient alice = ChatClient.login(server.port(), 2, "alice")) {
            alice.send(new dev.switchboard.im.protocol.CreateGroupRequest(List.of(alice.userId()), null));
            String groupId = alice.next(dev.switchboard.im.protocol.CreateGroupResponse.class).groupId();
            List<Object> lists = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                lists.add(new dev.switchboard.im.protocol.ListGroupMembersRequest(groupId));
            }
            assertThat(limited(alice, lists, 5)).as("5 member lists exceed a burst of 20 tokens").isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void anAccountsDevicesShareABudget() throws Exception {
        // 1 token a second: 2 per connection, 4 per account (refilled at 2 a second), so that the refill during
        // the test, even on a loaded machine, stays below what the devices overspend.
        start(ImServerSettings.forTests().withMessagesPerSecond(1));
        try (ChatClient bob = ChatClient.login(server.port(), 2, "bob")) {
            List<ChatClient> devices = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    devices.add(ChatClient.login(server.port(), 2, "alice"));
                }
                int limited = 0;
                int n = 0;
                for (ChatClient device : devices) {
                    List<Object> messages = List.of(new MessageRequest(bob.userId(), "m", "c" + n++, null),
                            new MessageRequest(bob.userId(), "m", "c" + n++, null)); // within the connection's 2
                    limited += limited(device, messages, 2);
                }
                assertThat(limited).as("10 messages against the account's 4").isGreaterThanOrEqualTo(2);
            } finally {
                devices.forEach(ChatClient::close);
            }
        }
    }

    @Test
    void rateLimitAnswersRateLimited() throws Exception {
        start(ImServerSettings.forTests().withMessagesPerSecond(5));
        try (ChatClient alice = ChatClient.login(server.port(), 2, "alice")) {
            for (int i = 0; i < 30; i++) {
                alice.send(new MessageRequest(alice.userId(), "spam " + i, "c" + i, null));
            }
            int limited = 0;
            for (int i = 0; i < 30; i++) {
                Object packet = alice.nextOrNull(2_000);
                if (packet instanceof ErrorResponse error && error.code().equals("RATE_LIMITED")) {
                    limited++;
                } else {
                    assertThat(packet).isInstanceOfAny(SendAck.class, MessageResponse.class);
                }
            }
            assertThat(limited).isPositive();
        }
    }

    @Test
    void closedRegistrationRefusesUnknownNames() throws Exception {
        start(ImServerSettings.forTests().withOpenRegistration(false));
        try (ChatClient stranger = ChatClient.connect(server.port(), 2)) {
            LoginResponse response = stranger.loginWith(LoginRequest.withPassword("stranger", "pw"));
            assertThat(response.success()).isFalse();
            assertThat(response.reason()).isEqualTo("wrong user name or password");
        }
    }

    @Test
    void repeatedFailuresLockTheAccount() throws Exception {
        start(ImServerSettings.forTests());
        try (ChatClient owner = ChatClient.login(server.port(), 2, "victim");
                ChatClient guesser = ChatClient.connect(server.port(), 2)) {
            for (int i = 0; i < 5; i++) {
                assertThat(guesser.loginWith(LoginRequest.withPassword("victim", "guess" + i)).success()).isFalse();
            }
            LoginResponse locked = guesser.loginWith(LoginRequest.withPassword("victim", "pw-victim"));
            assertThat(locked.success()).isFalse();
            assertThat(locked.reason()).startsWith("too many failed logins");
        }
    }

    @Test
    void oneAddressCannotHoldMoreConnectionsThanItsLimitWhileOthersConnect() throws Exception {
        start(ImServerSettings.forTests().withConnectionsPerIp(3, 0));
        List<RawConnection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(new RawConnection(server.port(), "127.0.0.2"));
            }
            for (RawConnection connection : held) { // each one is served
                connection.write(RawConnection.frame(2, 1, 17, "{}"));
                assertThat(connection.read().command()).isEqualTo(18);
            }
            try (RawConnection fourth = new RawConnection(server.port(), "127.0.0.2")) {
                assertThat(fourth.closedByServer()).as("over the per-address limit").isTrue();
            }
            try (ChatClient other = ChatClient.login(server.port(), 2, "elsewhere")) {
                assertThat(other.userId()).as("another address is served").isNotNull();
            }
            held.remove(0).close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) { // the server learns of the close asynchronously
                try (RawConnection again = new RawConnection(server.port(), "127.0.0.2")) {
                    again.write(RawConnection.frame(2, 1, 17, "{}"));
                    if (again.readOrNull(2_000) != null) {
                        break;
                    }
                } catch (java.io.IOException closed) {
                    // refused still: retry until the deadline
                }
                assertThat(System.nanoTime()).as("a slot is freed by a close").isLessThan(deadline);
            }
        } finally {
            for (RawConnection connection : held) {
                connection.close();
            }
        }
    }

    @Test
    void aUserNameWithAnEscapeSequenceIsRefusedAndNotRegistered() throws Exception {
        start(ImServerSettings.forTests());
        try (ChatClient client = ChatClient.connect(server.port(), 2)) {
            LoginResponse refused = client.loginWith(LoginRequest.withPassword("mallory\u001b[2J", "pw"));
            assertThat(refused.success()).isFalse();
            assertThat(refused.reason()).isEqualTo("user name must be printable: U+001B is not allowed");
            assertThat(client.loginWith(LoginRequest.withPassword("mallory", "pw")).success())
                    .as("the connection stays usable").isTrue();
        }
    }

    @Test
    void staleTokensDoNotLockAnAddressOut() throws Exception {
        start(ImServerSettings.forTests());
        try (ChatClient client = ChatClient.connect(server.port(), 2)) {
            for (int i = 0; i < 20; i++) {
                LoginResponse stale = client.loginWith(new LoginRequest("alice", null, "stale-token-" + i, null));
                assertThat(stale.reason()).isEqualTo("invalid or expired token");
            }
            assertThat(client.loginWith(LoginRequest.withPassword("alice", "pw-alice")).success()).isTrue();
        }
    }

    @Test
    void aGuesserFromAnotherAddressIsThrottledWhileTheOwnerLogsIn() throws Exception {
        start(ImServerSettings.forTests());
        try (ChatClient registered = ChatClient.login(server.port(), 2, "victim")) {
            registered.send(new dev.switchboard.im.protocol.LogoutRequest());
        }
        try (RawConnection guesser = new RawConnection(server.port(), "127.0.0.2")) {
            String lastReason = null;
            for (int i = 0; i < 6; i++) {
                guesser.write(RawConnection.frame(2, 1, 1,
                        "{\"userName\":\"victim\",\"password\":\"guess" + i + "\"}"));
                lastReason = com.alibaba.fastjson2.JSON.parseObject(guesser.read().body()).getString("reason");
            }
            assertThat(lastReason).startsWith("too many failed logins");
        }
        try (ChatClient owner = ChatClient.connect(server.port(), 2)) {
            LoginResponse response = owner.loginWith(LoginRequest.withPassword("victim", "pw-victim"));
            assertThat(response.success()).as("the owner, from 127.0.0.1: %s", response.reason()).isTrue();
        }
    }

    @Test
    void unauthenticatedConnectionsAreClosedAfterTheAuthTimeout() throws Exception {
        start(ImServerSettings.forTests().withTimeouts(Duration.ofSeconds(15), Duration.ofMillis(300)));
        try (RawConnection idle = new RawConnection(server.port())) {
            idle.write(RawConnection.frame(2, 1, 17, "{}"));
            assertThat(idle.read().command()).isEqualTo(18);
            assertThat(idle.closedByServer()).as("heartbeats do not extend the login deadline").isTrue();
        }
    }

    @Test
    void jsonbWorksOnV2() throws Exception {
        start(ImServerSettings.forTests());
        try (ChatClient alice = ChatClient.connect(server.port(), 2, 2)) {
            LoginResponse login = alice.loginWith(LoginRequest.withPassword("alice", "pw"));
            assertThat(login.success()).isTrue();
            alice.send(new MessageRequest(login.userId(), "binary", "c1", null));
            assertThat(java.util.List.of(alice.next(), alice.next())).hasAtLeastOneElementOfType(SendAck.class)
                    .hasAtLeastOneElementOfType(MessageResponse.class);
        }
    }

    @Test
    void theChatPortAnswersNoAdminCommand() throws Exception {
        // 24 was StatsRequest, answered to loopback peers (which every peer is behind a local TLS proxy) and able to
        // run a GC on the login pool; statistics now live on the admin listener only.
        start(ImServerSettings.forTests());
        try (RawConnection anonymous = new RawConnection(server.port());
                RawConnection alice = new RawConnection(server.port())) {
            anonymous.write(RawConnection.frame(2, 1, 24, "{\"gc\":true}"));
            RawFrame refused = anonymous.read();
            assertThat(refused.command()).isEqualTo(23);
            assertThat(refused.body()).contains("\"code\":\"UNKNOWN_COMMAND\"").contains("\"requestCommand\":24");
            alice.write(RawConnection.frame(2, 1, 1, "{\"userName\":\"alice\",\"password\":\"pw\"}"));
            assertThat(alice.read().body()).contains("\"success\":true");
            alice.write(RawConnection.frame(2, 1, 24, "{\"gc\":true}"));
            assertThat(alice.read().body()).contains("\"code\":\"UNKNOWN_COMMAND\"");
        }
    }

    @Test
    void aLoginStillQueuedWhenItsConnectionClosesSpendsNoToken() throws Exception {
        // One hashing thread and a hash cost of a second or more, so a password login holds the pool while the token
        // login waits, and the server sees that login's connection close well before the pool is free again (with
        // 600,000 iterations a loaded CI machine once finished the hash first).
        start(ImServerSettings.forTests().withHashThreads(1).withPasswordIterations(2_000_000));
        String token;
        try (ChatClient alice = ChatClient.connect(server.port(), 2)) {
            token = alice.loginWith(LoginRequest.withPassword("alice", "pw")).token();
        }
        try (ChatClient busy = ChatClient.connect(server.port(), 2)) {
            busy.send(LoginRequest.withPassword("bob", "pw")); // registers bob: one slow hash on the only thread
            try (ChatClient gaveUp = ChatClient.connect(server.port(), 2)) {
                gaveUp.send(new LoginRequest("alice", null, token, null));
            } // closed while its login waits behind bob's
            awaitConnections(1); // the server has seen the close: busy's is the only connection left
            assertThat(busy.next(LoginResponse.class).success()).isTrue();
        }
        try (ChatClient device = ChatClient.connect(server.port(), 2)) {
            assertThat(device.loginWith(new LoginRequest("alice", null, token, null)).success())
                    .as("the token of a login that never ran is still good").isTrue();
        }
    }

    /** Polls the server's open connection count until it is {@code count}, for at most 10 s. */
    private void awaitConnections(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.server().connectionCount() != count) {
            assertThat(System.nanoTime()).as("waited 10 s for %s open connection(s)", count).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }
}
