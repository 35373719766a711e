package dev.switchboard.framework;

import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.framework.wire.Serializers;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.framework.fixtures.echo.Packets.Oops;
import dev.switchboard.framework.fixtures.echo.Packets.Ping;
import dev.switchboard.framework.fixtures.echo.Packets.Pong;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Bodies built to hurt the parser, through the production pipeline: each is refused as a malformed body at a cost
 * proportional to its length, the connection goes on, and the log gets at most one line per connection.
 */
class HostileBodiesTest {

    /** The reported heartbeat: an unknown field opening 200,000 arrays. */
    private static final byte[] DEEP_JSON = ("{\"x\":" + "[".repeat(200_000)).getBytes(StandardCharsets.UTF_8);
    /** The same in JSONB: an object whose field "x" nests 200,000 one-element arrays. */
    private static final byte[] DEEP_JSONB = deepJsonb();
    /** A JSONB list declaring 2^28 elements in a body of 12 bytes. */
    private static final byte[] HUGE_COUNT = {(byte) 0xa6, 0x4a, 'x', (byte) 0xa4, 0x48, 0x10, 0, 0, 0, (byte) 0xa5};

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private EmbeddedServer server;

    private static byte[] deepJsonb() {
        byte[] body = new byte[200_003];
        body[0] = (byte) 0xa6;
        body[1] = 0x4a;
        body[2] = 'x';
        java.util.Arrays.fill(body, 3, body.length, (byte) 0x95);
        return body;
    }

    @BeforeEach
    void capture() {
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void close() {
        root.detachAppender(log);
        server.close();
    }

    private void sendPing(int serializerId, byte[] body) {
        server.sendRaw(server.codec.raw(new FrameHeader(1, serializerId, 3, body.length), body));
    }

    private List<ILoggingEvent> linesFromThisTest() {
        return log.list.stream().filter(event -> !event.getLoggerName().endsWith("Wiring")).toList();
    }

    @Test
    void aHundredHostileFramesUnansweredGiveOneInfoLineAndNoStackTrace() {
        server = new EmbeddedServer(c -> c.errorHandler(ErrorHandler.SILENT));
        for (int i = 0; i < 100; i++) {
            byte[] body = i % 3 == 0 ? DEEP_JSON : i % 3 == 1 ? DEEP_JSONB : HUGE_COUNT;
            sendPing(i % 3 == 0 ? Serializers.JSON_ID : Serializers.JSONB_ID, body);
        }
        server.send(new Ping(7));

        assertThat(server.replies()).containsExactly(new Pong(7));
        assertThat(server.channel.isActive()).isTrue();
        assertThat(linesFromThisTest()).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.INFO);
            assertThat(event.getFormattedMessage())
                    .endsWith("Ping got no reply: MALFORMED_BODY (nested deeper than 64 levels at byte 68)"
                            + " (further ones on this connection at DEBUG)");
            assertThat(event.getThrowableProxy()).isNull();
        });
    }

    @Test
    void answeredHostileFramesLogNothing() {
        server = new EmbeddedServer();
        sendPing(Serializers.JSON_ID, DEEP_JSON);
        sendPing(Serializers.JSONB_ID, DEEP_JSONB);
        sendPing(Serializers.JSONB_ID, HUGE_COUNT);
        server.send(new Ping(8));

        assertThat(server.replies()).containsExactly(
                new Oops(3, "MALFORMED_BODY: nested deeper than 64 levels at byte 68"),
                new Oops(3, "MALFORMED_BODY: nested deeper than 64 levels at byte 66"),
                new Oops(3, "MALFORMED_BODY: a declared count of 268435456 with 1 bytes left at byte 4"),
                new Pong(8));
        assertThat(linesFromThisTest()).isEmpty();
    }
}
