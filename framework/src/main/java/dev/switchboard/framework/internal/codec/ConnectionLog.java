package dev.switchboard.framework.internal.codec;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;

/**
 * The one INFO line a misbehaving connection may cost the log. Whatever a peer does wrong (a framing violation, a
 * request nobody answers, a missed login deadline, not reading), the first report about its connection is logged
 * at INFO and every later one at DEBUG, so that no peer can make the server log more than one line about it. Kept
 * as a channel attribute, for the handlers of every package to share; thread-safe. Stateless.
 */
public final class ConnectionLog {

    private static final AttributeKey<Boolean> REPORTED = AttributeKey.valueOf("switchboard.reported");

    private ConnectionLog() {}

    /** Logs at INFO if nothing was reported about this channel yet, otherwise at DEBUG. */
    public static void report(Logger log, Channel channel, String format, Object... arguments) {
        if (channel.attr(REPORTED).setIfAbsent(Boolean.TRUE) == null) {
            log.info(format, arguments);
        } else {
            log.debug(format, arguments);
        }
    }
}
