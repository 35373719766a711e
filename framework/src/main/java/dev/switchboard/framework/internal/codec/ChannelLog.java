package dev.switchboard.framework.internal.codec;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Log lines about one connection, and the one INFO line a misbehaving connection may cost the log.
 *
 * <p>Every line made here carries the SLF4J key-value pairs {@value #CONN} (the channel's short id) and, once the
 * connection has logged in, {@value #USER} (its principal), which the JSON log format turns into fields and the text
 * format prints after the message. They are looked up only when a line is logged: the principal is kept as a channel
 * attribute set at login and cleared at logout, so no frame pays for them (no MDC to set and clear per frame).
 *
 * <p>Whatever a peer does wrong (a framing violation, a request nobody answers, a missed login deadline, not
 * reading), the first {@link #report} about its connection is logged at INFO and every later one at DEBUG, so that no
 * peer can make the server log more than one line about it. Kept as channel attributes, for the handlers of every
 * package to share; thread-safe. Stateless.
 */
public final class ChannelLog {

    /** The key of the connection id. */
    public static final String CONN = "conn";
    /** The key of the logged-in user. */
    public static final String USER = "user";

    private static final AttributeKey<Boolean> REPORTED = AttributeKey.valueOf("switchboard.reported");
    private static final AttributeKey<Object> PRINCIPAL = AttributeKey.valueOf("switchboard.log.user");

    private ChannelLog() {}

    /** Logs at INFO if nothing was reported about this channel yet, otherwise at DEBUG. */
    public static void report(Logger log, Channel channel, String format, Object... arguments) {
        Level level = channel.attr(REPORTED).setIfAbsent(Boolean.TRUE) == null ? Level.INFO : Level.DEBUG;
        at(log, level, channel).log(format, arguments);
    }

    /**
     * A line at {@code level} about {@code channel}, carrying its id and user; a no-op builder if the level is off,
     * so an unguarded call costs no lookup.
     */
    public static LoggingEventBuilder at(Logger log, Level level, Channel channel) {
        if (!log.isEnabledForLevel(level)) {
            return log.atLevel(level); // SLF4J's no-op builder
        }
        LoggingEventBuilder line = log.atLevel(level).addKeyValue(CONN, channel.id().asShortText());
        Object user = channel.attr(PRINCIPAL).get();
        return user == null ? line : line.addKeyValue(USER, user);
    }

    /** Names the user of {@code channel}'s later lines, or no user ({@code null}): at login and logout. */
    public static void user(Channel channel, Object principal) {
        channel.attr(PRINCIPAL).set(principal);
    }
}
