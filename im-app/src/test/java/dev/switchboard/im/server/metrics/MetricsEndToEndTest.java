package dev.switchboard.im.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.testing.Eventually;
import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.server.AdminSettings;
import dev.switchboard.im.server.ImServer;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.testing.AdminStats;
import dev.switchboard.im.testing.ChatClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} over real loopback HTTP, on a server with the SQLite store: the framework's, the IM's and
 * the JVM's meters are there, and the counters move by exactly what the clients did.
 */
class MetricsEndToEndTest {

    private static final int V2 = 2;
    private static final int MESSAGES = 7;

    private ImServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void countersMoveByExactlyWhatClientsDid(@TempDir Path dataDir) throws Exception {
        server = ImServer.start(ImServerSettings.forTests().withStore("sqlite").withDataDir(dataDir)
                .withAdmin(AdminSettings.loopback(0).withLatencySampling(1)), Clock.systemUTC(), false);
        int admin = server.adminPort().getAsInt();
        String before = scrape(admin);
        assertThat(value(before, "switchboard_im_logins_total", "method=\"password\",outcome=\"ok\"")).isZero();
        assertThat(value(before, "switchboard_connections_open", "")).isZero();
        double commitsBefore = value(before, "switchboard_im_store_commits_total", "");

        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            for (int i = 0; i < MESSAGES; i++) {
                alice.send(new MessageRequest(bob.userId(), "hello " + i, "m" + i, null));
            }
            assertThat(alice.next(SendAck.class, MESSAGES)).hasSize(MESSAGES);
            assertThat(bob.next(MessageResponse.class, MESSAGES)).hasSize(MESSAGES);
            // The delivered counter moves on bob's event loop right after the write that bob has just read.
            Eventually.until("both deliveries counted", () -> delivered(admin) == MESSAGES);

            String after = scrape(admin);
            assertThat(value(after, "switchboard_im_logins_total", "method=\"password\",outcome=\"ok\""))
                    .isEqualTo(2);
            assertThat(value(after, "switchboard_im_logins_total", "method=\"password\",outcome=\"refused\""))
                    .isZero();
            assertThat(value(after, "switchboard_im_messages_stored_total", "")).isEqualTo(MESSAGES);
            assertThat(value(after, "switchboard_im_messages_delivered_total", "path=\"live\"")).isEqualTo(MESSAGES);
            assertThat(value(after, "switchboard_im_messages_delivered_total", "path=\"backlog\"")).isZero();
            assertThat(value(after, "switchboard_im_backlog_pages_total", "")).as("one empty page per login")
                    .isEqualTo(2);
            assertThat(value(after, "switchboard_frames_received_total", "command=\"MessageRequest\""))
                    .isEqualTo(MESSAGES);
            assertThat(value(after, "switchboard_frames_received_total", "command=\"LoginRequest\"")).isEqualTo(2);
            assertThat(value(after, "switchboard_frames_sent_total", "command=\"SendAck\"")).isEqualTo(MESSAGES);
            assertThat(value(after, "switchboard_connections_open", "")).isEqualTo(2);
            assertThat(value(after, "switchboard_im_users_online", "")).isEqualTo(2);
            assertThat(value(after, "switchboard_im_devices_online", "")).isEqualTo(2);
            assertThat(value(after, "switchboard_im_delivery_lag_seconds_count", "")).isEqualTo(MESSAGES);
            assertThat(value(after, "switchboard_handler_latency_seconds_count", "command=\"MessageRequest\""))
                    .isEqualTo(MESSAGES);
            // Each message is one append at least; group commit may fold several into one transaction.
            assertThat(value(after, "switchboard_im_store_commits_total", "")).isGreaterThan(commitsBefore);
            assertThat(value(after, "switchboard_im_store_commit_latency_seconds_count", "")).isPositive();
            // Every operation is in exactly one committed batch: the two registrations and the messages at least.
            assertThat(value(after, "switchboard_im_store_batch_size_operations_sum", ""))
                    .isGreaterThanOrEqualTo(MESSAGES + 2);
            assertThat(value(after, "switchboard_im_store_batch_size_operations_count", ""))
                    .isLessThanOrEqualTo(value(after, "switchboard_im_store_batch_size_operations_sum", ""));
            assertThat(after).contains("switchboard_im_store_queue ", "jvm_memory_used_bytes", "jvm_threads_live",
                    "jvm_gc_");
        }
        Eventually.until("both logouts seen", () -> online(admin) == 0);
    }

    @Test
    void anOfflineRecipientsMessagesAreCountedAsBacklog(@TempDir Path dataDir) throws Exception {
        server = ImServer.start(ImServerSettings.forTests().withStore("sqlite").withDataDir(dataDir)
                .withAdmin(AdminSettings.loopback(0).withLatencySampling(1)), Clock.systemUTC(), false);
        int admin = server.adminPort().getAsInt();
        String bobId;
        try (ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            bobId = bob.userId();
        }
        Eventually.until("bob offline", () -> online(admin) == 0);
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice")) {
            for (int i = 0; i < MESSAGES; i++) {
                alice.send(new MessageRequest(bobId, "while away " + i, "m" + i, null));
            }
            assertThat(alice.next(SendAck.class, MESSAGES)).hasSize(MESSAGES);
            double pagesBefore = value(scrape(admin), "switchboard_im_backlog_pages_total", "");
            try (ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
                assertThat(bob.next(MessageResponse.class, MESSAGES)).hasSize(MESSAGES);
                Eventually.until("the backlog counted", () -> sample(admin,
                        "switchboard_im_messages_delivered_total", "path=\"backlog\"") == MESSAGES);
                String after = scrape(admin);
                assertThat(value(after, "switchboard_im_messages_delivered_total", "path=\"live\"")).isZero();
                assertThat(value(after, "switchboard_im_backlog_pages_total", "")).isEqualTo(pagesBefore + 1);
                assertThat(value(after, "switchboard_im_delivery_lag_seconds_count", "")).isZero();
            }
        }
    }

    @Test
    void withMetricsOffTheAdminListenerServesTheRestAndRecordsNothing() throws Exception {
        server = ImServer.start(ImServerSettings.forTests()
                .withAdmin(AdminSettings.loopback(0).withoutMetrics()), Clock.systemUTC(), false);
        int admin = server.adminPort().getAsInt();
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            alice.send(new MessageRequest(bob.userId(), "hello", "m", null));
            assertThat(alice.next(SendAck.class).clientMsgId()).isEqualTo("m");
            assertThat(bob.next(MessageResponse.class).message()).isEqualTo("hello");
            assertThat(AdminStats.request(admin, "GET", "/metrics", null).statusCode()).isEqualTo(404);
            assertThat(AdminStats.request(admin, "GET", "/health/ready", null).statusCode()).isEqualTo(200);
            assertThat(AdminStats.request(admin, "GET", "/stats", null).body()).contains("\"onlineUsers\":2");
        }
    }

    @Test
    void refusedLoginsAreCountedByMethod() throws Exception {
        server = ImServer.start(ImServerSettings.forTests().withAdmin(AdminSettings.loopback(0)),
                Clock.systemUTC(), false);
        int admin = server.adminPort().getAsInt();
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient intruder = ChatClient.connect(server.port(), V2)) {
            assertThat(intruder.loginWith(LoginRequest.withPassword("alice", "guess"))
                    .success()).isFalse();
            assertThat(intruder.loginWith(new LoginRequest("alice", null, "bad", null))
                    .success()).isFalse();
            String metrics = scrape(admin);
            assertThat(value(metrics, "switchboard_im_logins_total", "method=\"password\",outcome=\"ok\""))
                    .isEqualTo(1);
            assertThat(value(metrics, "switchboard_im_logins_total", "method=\"password\",outcome=\"refused\""))
                    .isEqualTo(1);
            assertThat(value(metrics, "switchboard_im_logins_total", "method=\"token\",outcome=\"refused\""))
                    .isEqualTo(1);
            assertThat(metrics).as("the memory store has no writer").doesNotContain("switchboard_im_store_queue", "switchboard_im_store_commits");
        }
    }

    @Test
    void withoutTheAdminListenerNothingIsServedAndChatWorks() throws Exception {
        server = ImServer.start(ImServerSettings.forTests(), Clock.systemUTC(), false);
        assertThat(server.adminPort()).isEmpty();
        try (ChatClient alice = ChatClient.login(server.port(), V2, "alice");
                ChatClient bob = ChatClient.login(server.port(), V2, "bob")) {
            alice.send(new MessageRequest(bob.userId(), "hello", "m", null));
            assertThat(alice.next(SendAck.class).clientMsgId()).isEqualTo("m");
            assertThat(bob.next(MessageResponse.class).message()).isEqualTo("hello");
        }
    }

    private static String scrape(int admin) throws Exception {
        HttpResponse<String> response = AdminStats.request(admin, "GET", "/metrics", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValue("text/plain; version=0.0.4; charset=utf-8");
        return response.body();
    }

    private static double delivered(int admin) {
        return sample(admin, "switchboard_im_messages_delivered_total", "path=\"live\"");
    }

    private static double online(int admin) {
        return sample(admin, "switchboard_im_devices_online");
    }

    private static double sample(int admin, String name) {
        return sample(admin, name, "");
    }

    private static double sample(int admin, String name, String labels) {
        try {
            return value(scrape(admin), name, labels);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The value of the sample {@code name} whose labels contain {@code labels} (Prometheus writes labels sorted by
     * name; an empty string matches a sample with or without labels).
     */
    private static double value(String exposition, String name, String labels) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{([^}]*)\\})? (\\S+)$")
                .matcher(exposition);
        while (matcher.find()) {
            String found = matcher.group(1) == null ? "" : matcher.group(1);
            if (found.contains(labels)) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError("no sample " + name + "{" + labels + "} in:\n" + exposition);
    }
}
