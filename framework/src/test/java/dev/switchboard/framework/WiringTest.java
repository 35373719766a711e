package dev.switchboard.framework;

import dev.switchboard.framework.internal.scan.ProtocolScanner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                assertThat(event.getFormattedMessage()).matches("server wired: 15 packets, 9 handlers in \\d+ ms"
                        + " \\(scan \\d+ ms, of which finding \\d+ ms in ClassGraph \\(protocol index not used: there is"
                        + " none on the class path\\); injector \\d+ ms; handlers \\d+ ms; serializer checks \\d+ ms"
                        + " alongside, \\d+ ms waited for\\)");
            });
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void aPacketTheSerializersCannotBuildFailsTheWiringThoughTheirChecksRunAlongsideTheInjector() {
        ServerConfig config = new ServerConfig();
        config.scan("dev.switchboard.framework.fixtures.broken.unbuildable");

        assertThatThrownBy(() -> Wiring.build(config, ProtocolScanner.Side.SERVER))
                .isInstanceOf(InvalidProtocolException.class)
                .hasMessageContaining("packet AbstractPacket (command 1) ")
                .hasMessageContaining("packet InnerPacket (command 2) ");
    }

    @Test
    void aProtocolErrorComesBeforeAnInjectorError() {
        ServerConfig config = new ServerConfig();
        config.scan("dev.switchboard.framework.fixtures.broken.unbuildable")
                .modules(binder -> binder.addError("a module that cannot be configured"));

        assertThatThrownBy(() -> Wiring.build(config, ProtocolScanner.Side.SERVER))
                .isInstanceOf(InvalidProtocolException.class);
    }

    @Test
    void anApplicationWithoutServicesGetsAnEmptySet() {
        ServerConfig config = new ServerConfig();
        config.scan(EmbeddedServer.ECHO).modules(binder -> binder.bind(Probe.class).toInstance(new Probe()));
        assertThat(Wiring.build(config, ProtocolScanner.Side.SERVER).services()).isEmpty();
    }
}
