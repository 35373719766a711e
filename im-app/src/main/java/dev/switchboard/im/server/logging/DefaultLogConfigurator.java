package dev.switchboard.im.server.logging;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;

/**
 * The jar's logging configuration, in code: text lines on standard error, {@code io.netty} at WARN, everything else
 * at {@code -Dswitchboard.log.level} (INFO). Logback finds it through {@code META-INF/services} before its own
 * configurators. It replaces a {@code logback.xml} because reading one cold (the JDK's XML parser and Joran, loaded
 * and interpreted once) cost 50-120 ms of every start, for the same four settings.
 *
 * <p>A configuration of one's own still wins: with {@code -Dlogback.configurationFile=...}, or a
 * {@code logback-test.xml} or {@code logback.xml} on the class path (the tests have one), this steps aside and
 * logback configures itself as it would without it.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class DefaultLogConfigurator extends ContextAwareBase implements Configurator {

    /** Time, level, thread, logger and message, then the line's key-value pairs ({@code conn="1a2b3c4d"}) if any. */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%replace( %kvp){'^ $', ''}%n";
    /** The system property that sets the level of everything but Netty. */
    static final String LEVEL_PROPERTY = "switchboard.log.level";

    private final ClassLoader classLoader;
    private final UnaryOperator<String> properties;

    /** For the service loader: system properties, and configuration files looked for through this class's loader. */
    public DefaultLogConfigurator() {
        this(DefaultLogConfigurator.class.getClassLoader(), System::getProperty);
    }

    DefaultLogConfigurator(ClassLoader classLoader, UnaryOperator<String> properties) {
        this.classLoader = classLoader;
        this.properties = properties;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (properties.apply(ClassicConstants.CONFIG_FILE_PROPERTY) != null
                || properties.apply(ClassicConstants.MODEL_CONFIG_FILE_PROPERTY) != null
                || classLoader.getResource(ClassicConstants.TEST_AUTOCONFIG_FILE) != null
                || classLoader.getResource(ClassicConstants.AUTOCONFIG_FILE) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("STDERR");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        context.getLogger("io.netty").setLevel(Level.WARN);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(properties.apply(LEVEL_PROPERTY), Level.INFO));
        root.addAppender(appender);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
