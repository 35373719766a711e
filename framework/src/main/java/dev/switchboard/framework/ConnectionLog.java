package dev.switchboard.framework;

import dev.switchboard.framework.internal.codec.ChannelLog;
import dev.switchboard.framework.internal.transport.ChannelConnection;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Log lines about one connection, for an application to write as the framework writes its own: each carries the
 * SLF4J key-value pairs {@value #CONN} ({@link Connection#id()}) and, once the connection is authenticated,
 * {@value #USER} (the principal given to {@link Connection#authenticate}, printed with its {@code toString()}),
 * which a logback pattern prints with {@code %kvp} and a JSON encoder as fields. Nothing is looked up for a level
 * that is off, and no MDC is set.
 *
 * <pre>{@code
 * ConnectionLog.report(log, connection, "[{}] login as {} failed: {}", connection.id(), name, reason);
 * ConnectionLog.at(log, Level.DEBUG, connection).log("[{}] logged in", connection.id());
 * }</pre>
 *
 * <p>Use {@link #report} for anything a peer can trigger: a connection costs the log one INFO line at most, shared
 * with the framework's own reports about it (a framing error, an unanswered request, the login deadline, a slow
 * consumer, a TLS failure); later reports go to DEBUG. Thread-safe.
 */
public final class ConnectionLog {

    /** The key of the connection id. */
    public static final String CONN = ChannelLog.CONN;
    /** The key of the authenticated user. */
    public static final String USER = ChannelLog.USER;

    private ConnectionLog() {}

    /**
     * Reports something the peer did wrong: at INFO if nothing was reported about this connection yet, by the
     * framework or the application, otherwise at DEBUG.
     */
    public static void report(Logger log, Connection connection, String format, Object... arguments) {
        if (connection instanceof ChannelConnection framework) {
            ChannelLog.report(log, framework.channel(), format, arguments);
        } else {
            at(log, Level.INFO, connection).log(format, arguments);
        }
    }

    /** A line at {@code level} about {@code connection}; SLF4J's no-op builder if the level is off. */
    public static LoggingEventBuilder at(Logger log, Level level, Connection connection) {
        if (connection instanceof ChannelConnection framework) {
            return ChannelLog.at(log, level, framework.channel());
        }
        if (!log.isEnabledForLevel(level)) {
            return log.atLevel(level);
        }
        LoggingEventBuilder line = log.atLevel(level).addKeyValue(CONN, connection.id());
        return connection.principal().map(user -> line.addKeyValue(USER, user)).orElse(line);
    }
}
