package dev.switchboard.framework;

import dev.switchboard.framework.internal.scan.ProtocolScanner;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.framework.fixtures.echo.Probe;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class WiringTest {

    @Test
    void logsHowLongScanAndWiringTookAtInfo() {
        Logger logger = (Logger) LoggerFactory.getLogger(Wiring.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            ServerConfig config = new ServerConfig();
            config.scan(EmbeddedServer.ECHO).modules(binder -> binder.bind(Probe.class).toInstance(new Probe()));
            Wiring wiring = Wiring.build(config, ProtocolScanner.Side.SERVER);

            assertThat(wiring.table.size()).isEqualTo(9);
            assertThat(appender.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.INFO);
                assertThat(event.getFormattedMessage())
                        .matches("server wired: 15 packets, 9 handlers in \\d+ ms \\(scan \\d+ ms\\)");
            });
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void anApplicationWithoutServicesGetsAnEmptySet() {
        ServerConfig config = new ServerConfig();
        config.scan(EmbeddedServer.ECHO).modules(binder -> binder.bind(Probe.class).toInstance(new Probe()));
        assertThat(Wiring.build(config, ProtocolScanner.Side.SERVER).services()).isEmpty();
    }
}
