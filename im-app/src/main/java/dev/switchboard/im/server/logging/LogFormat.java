package dev.switchboard.im.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The server's log format ({@code --log-format}): {@link #TEXT} as {@link DefaultLogConfigurator} writes it, or
 * {@link #JSON} lines. Chosen at start, before the first line, by {@link #apply()}.
 */
public enum LogFormat {
    /** The default pattern: {@code 12:00:00.123 INFO  [thread] logger - msg conn="1a2b3c4d" user="42"}. */
    TEXT,
    /** One JSON object per line ({@link JsonLineEncoder}). */
    JSON;

    /**
     * Makes every appender of the root logger that writes a stream (standard error, by default) write
     * this format. {@link #TEXT} leaves the configuration as it is, so a {@code logback.xml} of one's own
     * ({@code -Dlogback.configurationFile=...}) stays in force; {@link #JSON} replaces those appenders' encoders.
     * Nothing logs concurrently at start, so swapping them on running appenders is safe.
     */
    public void apply() {
        if (this == TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> stream) {
                JsonLineEncoder json = new JsonLineEncoder();
                json.setContext(context);
                json.start();
                stream.setEncoder(json);
            }
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@code text} or {@code json}, in any case, for picocli. */
    public static final class Converter implements ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            for (LogFormat format : values()) {
                if (format.name().equalsIgnoreCase(value)) {
                    return format;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a log format: text or json");
        }
    }
}
