package dev.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.framework.fixtures.echo.Packets.Login;
import dev.switchboard.framework.fixtures.echo.Packets.Logout;
import dev.switchboard.framework.internal.codec.FrameDecoder;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An application's lines about a connection: the conn and user pairs the framework's own lines carry, and the one
 * INFO report per connection shared with the framework.
 */
class ConnectionLogTest {

    private final Logger app = (Logger) LoggerFactory.getLogger(ConnectionLogTest.class);
    private final Logger decoder = (Logger) LoggerFactory.getLogger(FrameDecoder.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private EmbeddedServer server;

    @BeforeEach
    void capture() {
        lines.start();
        for (Logger logger : new Logger[] {app, decoder}) {
            logger.setLevel(Level.DEBUG);
            logger.addAppender(lines);
        }
        server = new EmbeddedServer(c -> {});
    }

    @AfterEach
    void release() {
        server.close();
        for (Logger logger : new Logger[] {app, decoder}) {
            logger.detachAppender(lines);
            logger.setLevel(null);
        }
    }

    private static String pairs(ILoggingEvent event) {
        return String.valueOf(event.getKeyValuePairs());
    }

    @Test
    void linesNameTheConnectionAndTheUserWhileLoggedIn() {
        Connection connection = server.connection();
        ConnectionLog.at(app, org.slf4j.event.Level.INFO, connection).log("before login");
        server.send(new Login("ann"));
        server.runBusiness();
        ConnectionLog.at(app, org.slf4j.event.Level.WARN, connection).log("as {}", "ann");
        server.send(new Logout());
        ConnectionLog.at(app, org.slf4j.event.Level.DEBUG, connection).log("after logout");

        String conn = "conn=\"" + connection.id() + "\"";
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("before login", "as ann", "after logout");
        assertThat(lines.list).extracting(ConnectionLogTest::pairs)
                .containsExactly("[" + conn + "]", "[" + conn + ", user=\"ann\"]", "[" + conn + "]");
    }

    @Test
    void anApplicationsReportSpendsTheConnectionsOneInfoLine() {
        server.send(new Login("ann"));
        server.runBusiness();
        ConnectionLog.report(app, server.connection(), "refused: {}", "a reason");
        ConnectionLog.report(app, server.connection(), "again");
        server.sendRaw(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", StandardCharsets.US_ASCII));

        assertThat(server.channel.isOpen()).as("closed for the bad magic").isFalse();
        assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.INFO, Level.DEBUG,
                Level.DEBUG);
        assertThat(lines.list.get(2).getFormattedMessage()).contains("closing: ");
        assertThat(pairs(lines.list.get(2))).contains("user=\"ann\"");
    }

    @Test
    void aConnectionOfAnotherKindGetsThePairsFromItsIdAndPrincipal() {
        Connection other = (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "id" -> "c-1";
                    case "principal" -> Optional.of("bob");
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        ConnectionLog.report(app, other, "one");
        ConnectionLog.at(app, org.slf4j.event.Level.DEBUG, other).log("two");

        assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.INFO, Level.DEBUG);
        assertThat(lines.list).extracting(ConnectionLogTest::pairs).containsOnly("[conn=\"c-1\", user=\"bob\"]");
    }
}
