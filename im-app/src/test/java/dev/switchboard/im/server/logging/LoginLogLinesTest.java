package dev.switchboard.im.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONObject;
import dev.switchboard.framework.testing.Eventually;
import dev.switchboard.im.testing.RawConnection;
import dev.switchboard.im.testing.RunningServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * The log lines of two events on a real server: a failed login, and a logged-in connection closed for a protocol
 * error. Each names its connection, the second also its user by name; rendered with the text pattern of the
 * server's default configuration and with the JSON encoder of {@code --log-format json}.
 */
class LoginLogLinesTest {

    private static final int LOGIN = 1;
    private static final int LOGIN_RESPONSE = 2;
    private static final String FAILED = "login as alice failed: wrong user name or password";

    @RegisterExtension
    final RunningServer server = new RunningServer();

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    @BeforeEach
    void capture() {
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void release() {
        root.detachAppender(captured);
    }

    @Test
    void aFailedLoginAndAProtocolErrorCloseNameTheConnectionAndTheUser() throws Exception {
        List<ILoggingEvent> lines = failedLoginThenProtocolError();

        ILoggingEvent failed = lines.get(0);
        String failedConn = value(failed, "conn");
        assertThat(failed.getFormattedMessage()).isEqualTo("[" + failedConn + "] " + FAILED);
        assertThat(value(failed, "user")).as("not logged in").isNull();
        ILoggingEvent closed = lines.get(1);
        assertThat(closed.getFormattedMessage()).startsWith("[" + value(closed, "conn") + "] closing: bad magic");
        assertThat(value(closed, "user")).isEqualTo("alice");
        assertThat(value(closed, "conn")).isNotEqualTo(failedConn);
        assertThat(lines).allSatisfy(line -> assertThat(line.getThrowableProxy()).isNull());

        String text = encode(textEncoder(), failed) + encode(textEncoder(), closed);
        assertThat(text.lines().toList()).satisfiesExactly(
                line -> assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[[^]]+] \\S*LoginHandlers - "
                        + "\\[" + failedConn + "] " + FAILED + " conn=\"" + failedConn + "\""),
                line -> assertThat(line).matches(".* INFO  .*FrameDecoder - \\[[0-9a-f]{8}] closing: bad magic .*"
                        + " conn=\"[0-9a-f]{8}\" user=\"alice\""));

        JsonLineEncoder json = new JsonLineEncoder();
        json.setContext(root.getLoggerContext());
        json.start();
        JSONObject failure = JSON.parseObject(encode(json, failed));
        assertThat(failure).containsEntry("level", "INFO").containsEntry("conn", failedConn)
                .containsEntry("loggerName", "dev.switchboard.im.server.auth.LoginHandlers")
                .containsEntry("formattedMessage", "[" + failedConn + "] " + FAILED).doesNotContainKey("user");
        JSONObject close = JSON.parseObject(encode(json, closed));
        assertThat(close).containsEntry("user", "alice").containsEntry("conn", value(closed, "conn"))
                .containsEntry("loggerName", "dev.switchboard.framework.internal.codec.FrameDecoder");
    }

    @Test
    void wrongPasswordsOnOneConnectionCostOneInfoLine() throws Exception {
        try (RawConnection alice = new RawConnection(server.port())) {
            assertThat(succeeded(alice.write(login("alice", "alice's password")).read())).isTrue();
        }
        try (RawConnection guesser = new RawConnection(server.port())) {
            for (int i = 0; i < 3; i++) {
                assertThat(succeeded(guesser.write(login("alice", "guess " + i)).read())).isFalse();
            }
        }
        Eventually.until("the first failure is logged", () -> !aboutConnections().isEmpty());
        assertThat(aboutConnections()).singleElement()
                .satisfies(line -> assertThat(line.getFormattedMessage()).endsWith(FAILED));
    }

    /** A failed login, then alice logged in sending HTTP on the chat port: the two lines they cost. */
    private List<ILoggingEvent> failedLoginThenProtocolError() throws Exception {
        try (RawConnection alice = new RawConnection(server.port())) {
            assertThat(succeeded(alice.write(login("alice", "alice's password")).read())).isTrue();
        }
        try (RawConnection guesser = new RawConnection(server.port())) {
            assertThat(succeeded(guesser.write(login("alice", "a guess")).read())).isFalse();
        }
        try (RawConnection alice = new RawConnection(server.port())) {
            assertThat(succeeded(alice.write(login("alice", "alice's password")).read())).isTrue();
            alice.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(alice.closedByServer()).isTrue();
        }
        Eventually.until("both lines are logged", () -> aboutConnections().size() == 2);
        return aboutConnections();
    }

    private List<ILoggingEvent> aboutConnections() {
        synchronized (captured) { // AppenderBase appends holding the appender's monitor
            return captured.list.stream().filter(event -> value(event, "conn") != null).toList();
        }
    }

    private static String value(ILoggingEvent event, String key) {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        return pairs == null ? null : pairs.stream().filter(pair -> pair.key.equals(key))
                .map(pair -> String.valueOf(pair.value)).findFirst().orElse(null);
    }

    private static byte[] login(String name, String password) {
        return RawConnection.frame(2, 1, LOGIN, JSONObject.of("userName", name, "password", password).toString());
    }

    private static boolean succeeded(RawConnection.RawFrame reply) {
        assertThat(reply.command()).isEqualTo(LOGIN_RESPONSE);
        return JSON.parseObject(reply.body()).getBooleanValue("success");
    }

    /** The encoder of the server's default configuration, set up in a context of its own. */
    private static Encoder<ILoggingEvent> textEncoder() {
        LoggerContext context = new LoggerContext();
        DefaultLogConfigurator configurator = new DefaultLogConfigurator(new ClassLoader(null) {}, name -> null);
        configurator.setContext(context);
        configurator.configure(context);
        return ((OutputStreamAppender<ILoggingEvent>) context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                .getAppender("STDERR")).getEncoder();
    }

    private static String encode(Encoder<ILoggingEvent> encoder, ILoggingEvent event) {
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
