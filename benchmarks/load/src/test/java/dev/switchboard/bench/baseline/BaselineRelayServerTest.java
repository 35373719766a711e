package dev.switchboard.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.bench.client.BenchClient;
import dev.switchboard.bench.client.BenchClientSettings;
import dev.switchboard.bench.client.ClientListener;
import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.client.LoginRefused;
import dev.switchboard.bench.measure.ServerStats;
import dev.switchboard.bench.protocol.BodyFormat;
import dev.switchboard.bench.protocol.CreateGroupRequest;
import dev.switchboard.bench.protocol.CreateGroupResponse;
import dev.switchboard.bench.protocol.DeliveryAck;
import dev.switchboard.bench.protocol.ErrorResponse;
import dev.switchboard.bench.protocol.GroupMessageRequest;
import dev.switchboard.bench.protocol.GroupMessageResponse;
import dev.switchboard.bench.protocol.HeartBeatRequest;
import dev.switchboard.bench.protocol.HeartBeatResponse;
import dev.switchboard.bench.protocol.JoinGroupRequest;
import dev.switchboard.bench.protocol.JoinGroupResponse;
import dev.switchboard.bench.protocol.LoginRequest;
import dev.switchboard.bench.protocol.LoginResponse;
import dev.switchboard.bench.protocol.MessageRequest;
import dev.switchboard.bench.protocol.MessageResponse;
import dev.switchboard.bench.protocol.SendAck;
import dev.switchboard.bench.protocol.UserRef;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The relay over real loopback sockets, one protocol rule per test. */
class BaselineRelayServerTest {

    private static final long TIMEOUT = 5;
    private static BaselineRelayServer relay;
    private static ClientTransport transport;
    private static int users;

    @BeforeAll
    static void start() throws InterruptedException {
        relay = new BaselineRelayServer(2, Duration.ofSeconds(15)).start("127.0.0.1", 0);
        transport = new ClientTransport(1);
    }

    @AfterAll
    static void stop() {
        transport.close();
        relay.close();
    }

    /** A client whose unsolicited packets land in a queue. */
    private record Peer(BenchClient client, LoginResponse login, BlockingQueue<Object> inbox) {
        Object next() throws InterruptedException {
            Object packet = inbox.poll(TIMEOUT, TimeUnit.SECONDS);
            assertThat(packet).as("a packet within " + TIMEOUT + " s").isNotNull();
            return packet;
        }
    }

    private static BenchClient connect(ClientListener listener, BodyFormat format) throws Exception {
        return transport.connect(new InetSocketAddress("127.0.0.1", relay.port()), null,
                BenchClientSettings.defaults(format).withHeartbeat(Duration.ZERO), listener)
                .get(TIMEOUT, TimeUnit.SECONDS);
    }

    private static Peer peer(BodyFormat format) throws Exception {
        BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        BenchClient client = connect(new ClientListener() {
            @Override
            public void onDelivery(BenchClient c, MessageResponse delivery) {
                inbox.add(delivery);
            }

            @Override
            public void onGroupDelivery(BenchClient c, GroupMessageResponse delivery) {
                inbox.add(delivery);
            }

            @Override
            public void onSendAck(BenchClient c, SendAck ack) {
                inbox.add(ack);
            }

            @Override
            public void onError(BenchClient c, ErrorResponse error) {
                inbox.add(error);
            }
        }, format);
        String name = "user" + ++users;
        LoginResponse login = client.login(LoginRequest.withPassword(name, "pw")).get(TIMEOUT, TimeUnit.SECONDS);
        return new Peer(client, login, inbox);
    }

    @Test
    void directMessagesAreAckedAndDeliveredWithGaplessSeq() throws Exception {
        Peer ann = peer(BodyFormat.JSON);
        Peer bob = peer(BodyFormat.JSONB);
        ann.client().send(new MessageRequest(bob.login().userId(), "one", "c1", null));
        ann.client().send(new MessageRequest(null, "two", "c2", bob.login().userName()));

        SendAck first = (SendAck) ann.next();
        assertThat(first.clientMsgId()).isEqualTo("c1");
        assertThat(((SendAck) ann.next()).clientMsgId()).isEqualTo("c2");
        MessageResponse one = (MessageResponse) bob.next();
        MessageResponse two = (MessageResponse) bob.next();
        assertThat(one.fromUserId()).isEqualTo(ann.login().userId());
        assertThat(one.fromUserName()).isEqualTo(ann.login().userName());
        assertThat(one.message()).isEqualTo("one");
        assertThat(one.messageId()).isEqualTo(first.messageId());
        assertThat(List.of(one.seq(), two.seq())).containsExactly(1L, 2L);
        bob.client().send(new DeliveryAck(2)); // ignored by the baseline, but must not provoke an error
        ann.client().close().get(TIMEOUT, TimeUnit.SECONDS);
        bob.client().close().get(TIMEOUT, TimeUnit.SECONDS);
        assertThat(bob.inbox()).isEmpty();
    }

    @Test
    void groupMessagesReachEveryMemberIncludingTheSender() throws Exception {
        Peer ann = peer(BodyFormat.JSON);
        Peer bob = peer(BodyFormat.JSON);
        Peer cid = peer(BodyFormat.JSON);
        CompletableFuture<CreateGroupResponse> bobHears = bob.client().expect(CreateGroupResponse.class);
        CreateGroupResponse created = ann.client().request(
                new CreateGroupRequest(List.of(bob.login().userId()), null), CreateGroupResponse.class)
                .get(TIMEOUT, TimeUnit.SECONDS);
        assertThat(created.success()).isTrue();
        assertThat(created.userNameList()).containsExactly(ann.login().userName(), bob.login().userName());
        assertThat(bobHears.get(TIMEOUT, TimeUnit.SECONDS).groupId()).isEqualTo(created.groupId());

        JoinGroupResponse joined = cid.client().request(new JoinGroupRequest(created.groupId()),
                JoinGroupResponse.class).get(TIMEOUT, TimeUnit.SECONDS);
        assertThat(joined.success()).isTrue();

        ann.client().send(new GroupMessageRequest(created.groupId(), "hello", "g1"));
        assertThat(((SendAck) ann.next()).clientMsgId()).isEqualTo("g1");
        for (Peer member : List.of(ann, bob, cid)) {
            GroupMessageResponse delivery = (GroupMessageResponse) member.next();
            assertThat(delivery.fromGroupId()).isEqualTo(created.groupId());
            assertThat(delivery.fromUser()).isEqualTo(new UserRef(ann.login().userId(), ann.login().userName()));
            assertThat(delivery.message()).isEqualTo("hello");
            assertThat(delivery.seq()).isEqualTo(1L);
        }
        for (Peer member : List.of(ann, bob, cid)) {
            member.client().close().get(TIMEOUT, TimeUnit.SECONDS);
        }
    }

    @Test
    void refusesWhatIsNotAllowedWithTypedErrors() throws Exception {
        BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        BenchClient anonymous = connect(new ClientListener() {
            @Override
            public void onError(BenchClient c, ErrorResponse error) {
                inbox.add(error);
            }
        }, BodyFormat.JSON);
        anonymous.send(new MessageRequest("1", "hi", "x", null));
        ErrorResponse notLoggedIn = (ErrorResponse) inbox.poll(TIMEOUT, TimeUnit.SECONDS);
        assertThat(notLoggedIn).isEqualTo(new ErrorResponse(3, ErrorResponse.NOT_LOGGED_IN, "log in first"));
        assertThat(anonymous.request(new HeartBeatRequest(), HeartBeatResponse.class).get(TIMEOUT, TimeUnit.SECONDS))
                .isEqualTo(new HeartBeatResponse());
        anonymous.close().get(TIMEOUT, TimeUnit.SECONDS);

        Peer ann = peer(BodyFormat.JSON);
        ann.client().send(new MessageRequest("no-such-id", "hi", "x", null));
        assertThat(((ErrorResponse) ann.next()).code()).isEqualTo(ErrorResponse.NO_SUCH_USER);
        ann.client().send(new GroupMessageRequest("g-none", "hi", "y"));
        assertThat(((ErrorResponse) ann.next()).code()).isEqualTo(ErrorResponse.NO_SUCH_GROUP);
        ann.client().close().get(TIMEOUT, TimeUnit.SECONDS);
    }

    @Test
    void resumeTokensWorkOnceIssuedAndWrongOnesAreRefused() throws Exception {
        Peer ann = peer(BodyFormat.JSON);
        String name = ann.login().userName();
        ann.client().close().get(TIMEOUT, TimeUnit.SECONDS);

        BenchClient again = connect(ClientListener.NONE, BodyFormat.JSON);
        LoginResponse resumed = again.login(LoginRequest.withToken(name, ann.login().token()))
                .get(TIMEOUT, TimeUnit.SECONDS);
        assertThat(resumed.userId()).isEqualTo(ann.login().userId());
        assertThat(resumed.token()).isNotBlank();
        assertThatThrownBy(() -> again.login(LoginRequest.withToken(name, "forged")).get(TIMEOUT, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(LoginRefused.class);
        again.close().get(TIMEOUT, TimeUnit.SECONDS);
    }

    @Test
    void reportsConnectionsAndMemoryOnItsAdminPort() throws Exception {
        Peer ann = peer(BodyFormat.JSON);
        BenchClient client = connect(ClientListener.NONE, BodyFormat.JSONB);
        int admin = relay.startAdmin("127.0.0.1", 0);
        ServerStats stats = ServerStats.afterGc(new InetSocketAddress("127.0.0.1", admin));
        assertThat(stats.connections()).isGreaterThanOrEqualTo(2);
        assertThat(stats.onlineUsers()).isGreaterThanOrEqualTo(1);
        assertThat(stats.heapUsedBytes()).isPositive();
        assertThat(stats.rssBytes()).isPositive();
        client.close().get(TIMEOUT, TimeUnit.SECONDS);
        ann.client().close().get(TIMEOUT, TimeUnit.SECONDS);
    }
}
