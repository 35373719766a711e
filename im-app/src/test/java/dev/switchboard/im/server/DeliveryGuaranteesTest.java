package dev.switchboard.im.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONObject;
import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.LoginResponse;
import dev.switchboard.im.protocol.LogoutRequest;
import dev.switchboard.im.protocol.LogoutResponse;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.testing.ChatClient;
import dev.switchboard.im.testing.RawConnection;
import dev.switchboard.im.testing.RawConnection.RawFrame;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The delivery promises that ordinary concurrency used to break, over real loopback sockets on the default (SQLite)
 * store: pipelined sends keep their order with cold caches, and a session's deliveries stop at its logout or at the
 * next login on the connection.
 */
class DeliveryGuaranteesTest {

    private static final int LOGIN = 1;
    private static final int LOGIN_RESPONSE = 2;
    private static final int MESSAGE = 3;
    private static final int MESSAGE_RESPONSE = 4;
    private static final int LOGOUT = 5;
    private static final int LOGOUT_RESPONSE = 6;
    private static final int SEND_ACK = 19;

    @TempDir
    Path dataDir;

    private ImServerSettings sqlite() {
        return ImServerSettings.forTests().withStore("sqlite").withDataDir(dataDir);
    }

    private static byte[] frames(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    private static byte[] login(int version, String name) {
        return RawConnection.frame(version, 1, LOGIN,
                JSON.toJSONString(JSONObject.of("userName", name, "password", "pw-" + name)));
    }

    private static RawFrame next(RawConnection connection, int command) throws Exception {
        RawFrame frame = connection.read();
        assertThat(frame.command()).as("command of %s", frame).isEqualTo(command);
        return frame;
    }

    /** Registers the users on a first server run, so that the next run starts with cold caches. */
    private List<String> register(String... names) throws Exception {
        List<String> ids = new ArrayList<>();
        try (ImServer server = ImServer.start(sqlite(), Clock.systemUTC(), false)) {
            for (String name : names) {
                try (ChatClient client = ChatClient.login(server.port(), 2, name)) {
                    ids.add(client.userId());
                }
            }
        }
        return ids;
    }

    @ParameterizedTest(name = "addressed by {0}")
    @ValueSource(strings = {"toUserId", "toUserName"})
    void pipelinedSendsToAnUncachedRecipientKeepTheirOrder(String addressing) throws Exception {
        String bobId = register("alice", "bob").get(1);
        int count = 50;
        try (ImServer server = ImServer.start(sqlite(), Clock.systemUTC(), false);
                RawConnection alice = new RawConnection(server.port())) {
            alice.write(login(2, "alice"));
            next(alice, LOGIN_RESPONSE);
            byte[][] sends = new byte[count][];
            for (int i = 0; i < count; i++) {
                JSONObject body = JSONObject.of("message", "m" + i, "clientMsgId", "c" + i);
                body.put(addressing, addressing.equals("toUserId") ? bobId : "bob");
                sends[i] = RawConnection.frame(2, 1, MESSAGE, body.toJSONString());
            }
            alice.write(frames(sends)); // one TCP write: the first lookup misses the cache, later ones hit it
            List<String> acked = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                acked.add(JSON.parseObject(next(alice, SEND_ACK).body()).getString("clientMsgId"));
            }
            assertThat(acked).as("SendAcks in request order")
                    .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> "c" + i).toList());

            try (ChatClient bob = ChatClient.connect(server.port(), 2)) {
                bob.loginWith(LoginRequest.withPassword("bob", "pw-bob"));
                List<MessageResponse> received = bob.next(MessageResponse.class, count);
                assertThat(received).extracting(MessageResponse::message)
                        .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> "m" + i).toList());
                assertThat(received).extracting(MessageResponse::seq)
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, count).mapToObj(i -> (long) i).toList());
            }
        }
    }

    @Test
    void aLogoutPipelinedBehindTheLoginGetsNoBacklogAndLosesNone() throws Exception {
        String bobId = register("alice", "bob").get(1);
        try (ImServer server = ImServer.start(sqlite(), Clock.systemUTC(), false)) {
            try (ChatClient alice = ChatClient.login(server.port(), 2, "alice")) {
                for (int i = 1; i <= 5; i++) {
                    alice.send(new MessageRequest(bobId, "offline " + i, "o" + i, null));
                }
                alice.next(SendAck.class, 5);
            }
            try (RawConnection bob = new RawConnection(server.port())) {
                bob.write(frames(login(1, "bob"), RawConnection.frame(1, 1, LOGOUT, "{}")));
                next(bob, LOGIN_RESPONSE);
                RawFrame afterLogin = bob.read();
                // The backlog may start before the logout is handled, but nothing may follow the LogoutResponse.
                List<String> delivered = new ArrayList<>();
                while (afterLogin.command() == MESSAGE_RESPONSE) {
                    delivered.add(JSON.parseObject(afterLogin.body()).getString("message"));
                    afterLogin = bob.read();
                }
                assertThat(afterLogin.command()).isEqualTo(LOGOUT_RESPONSE);
                assertThat(bob.readOrNull(300)).as("nothing after the LogoutResponse").isNull();

                bob.write(login(1, "bob"));
                next(bob, LOGIN_RESPONSE);
                for (int i = delivered.size() + 1; i <= 5; i++) {
                    RawFrame message = next(bob, MESSAGE_RESPONSE);
                    assertThat(JSON.parseObject(message.body()).getString("message")).isEqualTo("offline " + i);
                }
                assertThat(bob.readOrNull(300)).as("each message once").isNull();
            }
        }
    }

    @Test
    void aSecondLoginOnTheConnectionReceivesNothingOfTheFirst() throws Exception {
        List<String> ids = register("alice", "xavier", "yvonne");
        try (ImServer server = ImServer.start(sqlite(), Clock.systemUTC(), false)) {
            try (ChatClient alice = ChatClient.login(server.port(), 2, "alice")) {
                for (int i = 1; i <= 20; i++) {
                    alice.send(new MessageRequest(ids.get(1), "for xavier " + i, "x" + i, null));
                }
                alice.send(new MessageRequest(ids.get(2), "for yvonne", "y1", null));
                alice.next(SendAck.class, 21);
            }
            try (RawConnection device = new RawConnection(server.port())) {
                device.write(frames(login(2, "xavier"), login(2, "yvonne")));
                assertThat(JSON.parseObject(next(device, LOGIN_RESPONSE).body()).getString("userId"))
                        .isEqualTo(ids.get(1));
                RawFrame frame = device.read();
                while (frame.command() == MESSAGE_RESPONSE) { // xavier's, before yvonne's login took over
                    assertThat(frame.body()).contains("for xavier");
                    frame = device.read();
                }
                assertThat(frame.command()).isEqualTo(LOGIN_RESPONSE);
                assertThat(JSON.parseObject(frame.body()).getString("userId")).isEqualTo(ids.get(2));
                RawFrame yours = next(device, MESSAGE_RESPONSE);
                assertThat(JSON.parseObject(yours.body()).getString("message")).isEqualTo("for yvonne");
                assertThat(JSON.parseObject(yours.body()).getLong("seq")).isEqualTo(1L);
                assertThat(device.readOrNull(300)).as("nothing of xavier after yvonne's LoginResponse").isNull();
            }
        }
    }

    @Test
    void aLoginBeyondTheDeviceLimitIsRefusedUntilADeviceLeaves() throws Exception {
        try (ImServer server = ImServer.start(ImServerSettings.forTests().withMaxDevices(2), Clock.systemUTC(),
                false);
                ChatClient first = ChatClient.login(server.port(), 2, "alice");
                ChatClient second = ChatClient.login(server.port(), 2, "alice");
                ChatClient third = ChatClient.connect(server.port(), 2)) {
            LoginResponse refused = third.loginWith(LoginRequest.withPassword("alice", "pw-alice"));
            assertThat(refused.success()).isFalse();
            assertThat(refused.reason()).contains("too many devices");
            assertThat(refused.token()).isNull();

            second.send(new LogoutRequest());
            second.next(LogoutResponse.class);
            assertThat(third.loginWith(LoginRequest.withPassword("alice", "pw-alice")).success()).isTrue();
        }
    }

    @Test
    void aRecipientThatStopsReadingLosesNothingAndCatchesUpInOrder() throws Exception {
        try (ImServer server = ImServer.start(ImServerSettings.forTests(), Clock.systemUTC(), false);
                ChatClient alice = ChatClient.login(server.port(), 2, "alice");
                ChatClient carol = ChatClient.login(server.port(), 2, "carol");
                RawConnection bob = new RawConnection(server.port())) {
            bob.write(login(2, "bob"));
            String bobId = JSON.parseObject(next(bob, LOGIN_RESPONSE).body()).getString("userId");
            String text = "x".repeat(8_000);
            int count = 1_500; // 12 MB: far more than the socket buffers and the 64 KiB high water mark
            for (int i = 0; i < count; i++) {
                alice.send(new MessageRequest(bobId, i + ":" + text, "b" + i, null));
            }
            alice.next(SendAck.class, count);
            // Others are served meanwhile.
            alice.send(new MessageRequest(carol.userId(), "still here", "c1", null));
            assertThat(carol.next(MessageResponse.class).message()).isEqualTo("still here");

            for (int i = 0; i < count; i++) {
                RawFrame frame = next(bob, MESSAGE_RESPONSE);
                JSONObject body = JSON.parseObject(frame.body());
                assertThat(body.getLong("seq")).isEqualTo(i + 1L);
                assertThat(body.getString("message")).startsWith(i + ":");
            }
        }
    }
}
