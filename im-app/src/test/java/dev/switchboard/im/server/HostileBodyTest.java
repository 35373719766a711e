package dev.switchboard.im.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.im.testing.RawConnection;
import dev.switchboard.im.testing.RawConnection.RawFrame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The reported attack over loopback: an anonymous heartbeat whose JSON body is <code>{"x":</code> and 200,000
 * <code>[</code>. It used to overflow the parser's stack and log a thousand-line stack trace per frame; now it is a
 * malformed body: v2 answers BAD_REQUEST, v1 nothing; the connection goes on; at most one log line.
 */
class HostileBodyTest {

    private static final String DEEP = "{\"x\":" + "[".repeat(200_000);

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private ImServer server;

    @BeforeEach
    void start() {
        server = ImServer.start(ImServerSettings.forTests(), Clock.systemUTC(), false);
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void stop() {
        root.detachAppender(log);
        server.close();
    }

    private List<ILoggingEvent> lines() {
        return List.copyOf(log.list);
    }

    private static byte[] times(int count, byte[] frame) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            all.writeBytes(frame);
        }
        return all.toByteArray();
    }

    @Test
    void v2AnswersBadRequestAndServesTheNextFrameWithoutALogLine() throws Exception {
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.write(RawConnection.frame(2, 1, 17, DEEP));
            RawFrame error = raw.read();
            assertThat(error.command()).isEqualTo(23);
            assertThat(error.body()).contains("\"requestCommand\":17").contains("\"code\":\"BAD_REQUEST\"");
            raw.write(RawConnection.frame(2, 1, 17, "{}"));
            assertThat(raw.read().command()).isEqualTo(18);
        }
        assertThat(lines()).isEmpty();
    }

    @Test
    void v1AnswersNothingLogsOneLineAndServesTheNextFrame() throws Exception {
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.write(RawConnection.frame(1, 1, 17, DEEP));
            raw.write(RawConnection.frame(1, 1, 17, "{}"));
            RawFrame first = raw.read();
            assertThat(first.command()).as("the hostile frame got no reply").isEqualTo(18);
            assertThat(first.version()).isEqualTo(1);
        }
        assertThat(lines()).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.INFO);
            assertThat(event.getFormattedMessage()).endsWith("HeartBeatRequest got no reply: MALFORMED_BODY "
                    + "(nested deeper than 64 levels at byte 68) (further ones on this connection at DEBUG)");
            assertThat(event.getThrowableProxy()).isNull();
        });
    }

    @Test
    void aHundredHostileFramesInBothSerializersStillLogAtMostOneLine() throws Exception {
        byte[] deepJsonb = new byte[200_003]; // { "x": [[[[... } in JSONB
        deepJsonb[0] = (byte) 0xa6;
        deepJsonb[1] = 0x4a;
        deepJsonb[2] = 'x';
        Arrays.fill(deepJsonb, 3, deepJsonb.length, (byte) 0x95);
        byte[] jsonbFrame = ByteBuffer.allocate(11 + deepJsonb.length).putInt(0x12345678).put((byte) 1)
                .put((byte) 2).put((byte) 17).putInt(deepJsonb.length).put(deepJsonb).array();
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.write(times(50, RawConnection.frame(1, 1, 17, DEEP)));
            raw.write(times(50, jsonbFrame));
            raw.write(RawConnection.frame(1, 1, 17, "{}"));
            assertThat(raw.read().command()).isEqualTo(18);
        }
        assertThat(lines()).hasSize(1).noneMatch(event -> event.getThrowableProxy() != null);
    }
}
