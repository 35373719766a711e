package dev.switchboard.im.server.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.JsonEscapeUtil;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * Logback's {@link JsonEncoder}, one JSON object per line, with the fields an operator filters on at the top level:
 *
 * <pre>{@code
 * {"timestamp":1796202605485,"level":"INFO","threadName":"multiThreadIoEventLoopGroup-3-1",
 *  "loggerName":"dev.switchboard.framework.internal.codec.FrameDecoder","conn":"06c48e77",
 *  "formattedMessage":"[06c48e77] closing: bad magic 0x47455420, expected 0x12345678","throwable":null}
 * }</pre>
 *
 * (one line in the output). The SLF4J key-value pairs of an event ({@code conn}, and {@code user} once logged in) become fields of their
 * own instead of logback's {@code "kvpList":[{"conn":...},...]}; the message is the formatted one only (no
 * {@code {}} template, no argument array), and the sequence number, nanoseconds, MDC and context are left out.
 * A stack trace is logback's {@code throwable} object.
 */
public class JsonLineEncoder extends JsonEncoder {

    public JsonLineEncoder() {
        setWithSequenceNumber(false);
        setWithNanoseconds(false);
        setWithContext(false);
        setWithMDC(false);
        setWithMessage(false);
        setWithArguments(false);
        setWithFormattedMessage(true);
    }

    @Override
    protected void appendKeyValuePairs(StringBuilder json, ILoggingEvent event) {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs == null) {
            return;
        }
        for (KeyValuePair pair : pairs) {
            json.append(",\"").append(JsonEscapeUtil.jsonEscapeString(pair.key)).append("\":\"")
                    .append(JsonEscapeUtil.jsonEscapeString(String.valueOf(pair.value))).append('"');
        }
    }
}
