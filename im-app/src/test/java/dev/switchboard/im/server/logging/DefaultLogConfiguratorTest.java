package dev.switchboard.im.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/**
 * The jar's logging configuration in code: what {@code logback.xml} used to say, and stepping aside for a
 * configuration of one's own. Each test configures a context of its own, never the test JVM's.
 */
class DefaultLogConfiguratorTest {

    /** A class loader that finds no resource at all, as the server's jar finds no logback XML. */
    private static final ClassLoader NO_FILES = new ClassLoader(null) {};

    private final LoggerContext context = new LoggerContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void withoutAConfigurationOfOnesOwnItWritesTextLinesToStandardErrorWithNettyAtWarn() {
        assertThat(configure(NO_FILES, Map.of())).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.netty.channel").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("dev.switchboard.im").getEffectiveLevel()).isEqualTo(Level.INFO);
        Appender<ILoggingEvent> appender = root.getAppender("STDERR");
        assertThat(appender).isInstanceOfSatisfying(ConsoleAppender.class, console -> {
            assertThat(console.getTarget()).isEqualTo("System.err");
            assertThat(console.isStarted()).isTrue();
        });
    }

    @Test
    void aLineCarriesTheConnectionsKeyValuePairsAndNothingTrailsALineWithout() {
        configure(NO_FILES, Map.of());
        Logger logger = context.getLogger("dev.switchboard.im.server.auth.LoginHandlers");

        LoggingEvent plain = new LoggingEvent(Logger.FQCN, logger, Level.INFO, "server ready", null, null);
        plain.setThreadName("main");
        LoggingEvent aboutAConnection = new LoggingEvent(Logger.FQCN, logger, Level.INFO, "login refused", null, null);
        aboutAConnection.setThreadName("nio-1");
        aboutAConnection.addKeyValuePair(new KeyValuePair("conn", "1a2b3c4d"));
        aboutAConnection.addKeyValuePair(new KeyValuePair("user", "42"));

        assertThat(encode(plain)).matches(
                "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main] d\\.s\\.i\\.s\\.a\\.LoginHandlers - server ready\\R");
        assertThat(encode(aboutAConnection)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[nio-1]"
                + " d\\.s\\.i\\.s\\.a\\.LoginHandlers - login refused conn=\"1a2b3c4d\" user=\"42\"\\R");
    }

    @Test
    void theLevelPropertySetsEverythingButNetty() {
        configure(NO_FILES, Map.of(DefaultLogConfigurator.LEVEL_PROPERTY, "DEBUG"));

        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void aConfigurationFileNamedOnTheCommandLineIsLeftToLogback() {
        assertThat(configure(NO_FILES, Map.of("logback.configurationFile", "/etc/switchboard/logback.xml")))
                .isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertNothingConfigured();
    }

    @Test
    void aLogbackXmlOnTheClassPathIsLeftToLogback() {
        // The test class path has logback-test.xml, as a build of one's own with a logback.xml would have that.
        assertThat(configure(DefaultLogConfiguratorTest.class.getClassLoader(), Map.of()))
                .isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertNothingConfigured();
    }

    @Test
    void logbackFindsItThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(Configurator.class, DefaultLogConfigurator.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::type)).contains(DefaultLogConfigurator.class);
    }

    private ExecutionStatus configure(ClassLoader loader, Map<String, String> properties) {
        UnaryOperator<String> lookup = properties::get;
        DefaultLogConfigurator configurator = new DefaultLogConfigurator(loader, lookup);
        configurator.setContext(context);
        return configurator.configure(context);
    }

    private void assertNothingConfigured() {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.iteratorForAppenders().hasNext()).isFalse();
        assertThat(context.getLogger("io.netty").getLevel()).isNull();
    }

    private String encode(ILoggingEvent event) {
        ConsoleAppender<ILoggingEvent> appender =
                (ConsoleAppender<ILoggingEvent>) context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                        .getAppender("STDERR");
        PatternLayoutEncoder encoder = (PatternLayoutEncoder) appender.getEncoder();
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
