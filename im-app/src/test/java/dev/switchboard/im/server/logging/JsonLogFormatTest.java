package dev.switchboard.im.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONObject;
import dev.switchboard.im.server.ImServer;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.testing.RawConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-format json} over loopback: a client's bad frame costs one log line, a JSON object carrying the
 * connection's id as a field of its own.
 */
class JsonLogFormatTest {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final OutputStreamAppender<ILoggingEvent> captured = new OutputStreamAppender<>();
    private final Map<OutputStreamAppender<ILoggingEvent>, Encoder<ILoggingEvent>> before = new HashMap<>();
    private ImServer server;

    @BeforeEach
    void start() {
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(root.getLoggerContext());
        text.setPattern("%msg%n");
        text.start();
        captured.setContext(root.getLoggerContext());
        captured.setEncoder(text);
        captured.setOutputStream(out);
        captured.start();
        root.addAppender(captured);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> stream) {
                before.put(stream, stream.getEncoder());
            }
        }
        LogFormat.JSON.apply();
        server = ImServer.start(ImServerSettings.forTests(), Clock.systemUTC(), false);
    }

    @AfterEach
    void stop() {
        server.close();
        root.detachAppender(captured);
        before.forEach(OutputStreamAppender::setEncoder); // the test JVM's own appenders back to text
    }

    @Test
    void aClientsMistakeIsOneJsonLineWithTheConnectionId() throws Exception {
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.write(RawConnection.frame(1, 1, 17, "{\"x\":" + "[".repeat(1_000)));
            raw.write(RawConnection.frame(1, 1, 17, "{\"x\":" + "[".repeat(1_000)));
            raw.write(RawConnection.frame(1, 1, 17, "{}"));
            assertThat(raw.read().command()).isEqualTo(18); // the heartbeat after them: both were handled
        }

        List<JSONObject> lines = out.toString(StandardCharsets.UTF_8).lines().map(JSON::parseObject).toList();
        List<JSONObject> aboutTheClient = lines.stream().filter(line -> line.containsKey("conn")).toList();
        assertThat(aboutTheClient).singleElement().satisfies(line -> {
            assertThat(line.getString("level")).isEqualTo("INFO");
            assertThat(line.getString("conn")).matches("[0-9a-f]{8}");
            assertThat(line.getString("formattedMessage")).startsWith("[" + line.getString("conn") + "] ")
                    .contains("HeartBeatRequest got no reply: MALFORMED_BODY");
            assertThat(line.getString("loggerName")).startsWith("dev.switchboard.framework");
            assertThat(line.getLong("timestamp")).isPositive();
            assertThat(line).doesNotContainKey("user"); // not logged in
        });
    }
}
