package dev.switchboard.im.attack;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Every log event of the server's own code and its transport (loggers under {@code dev.switchboard} and
 * {@code io.netty}) that the root logger passes (INFO and above in tests) while attached, to bound the lines an
 * attack costs. Server lines about a connection start with its id in brackets, {@code [1a2b3c4d] closing: ...}.
 *
 * <p>Other libraries' lines are kept apart and shown in a failure, not counted: the test JVM also holds what
 * earlier test classes left, and a connection pool of an earlier PostgreSQL test once logged its keepalive failure
 * in the middle of an attack on the memory store, which no attack here can cause.
 */
final class LogCapture implements AutoCloseable {

    private static final Pattern CONNECTION_ID = Pattern.compile("^\\[([0-9a-f]{8})\\]");

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture() {
        appender.start();
        root.addAppender(appender);
    }

    /** The server's events so far, oldest first. */
    List<ILoggingEvent> lines() {
        return all().stream().filter(LogCapture::isServers).toList();
    }

    private List<ILoggingEvent> all() {
        synchronized (appender) { // AppenderBase appends holding the appender's monitor
            return List.copyOf(appender.list);
        }
    }

    private static boolean isServers(ILoggingEvent event) {
        String logger = event.getLoggerName();
        return logger.startsWith("dev.switchboard.") || logger.startsWith("io.netty.");
    }

    private static String describe(List<ILoggingEvent> events) {
        return events.stream().map(event -> event.getLoggerName() + " [" + event.getThreadName() + "] "
                + event.getFormattedMessage()).collect(Collectors.joining("\n  "));
    }

    /**
     * At most one line per offending connection: no more lines than offenders, and no connection named twice.
     * Also no stack trace: an attacker must not be able to make the server print one.
     */
    void assertAtMostOnePerConnection(int offenders) {
        List<ILoggingEvent> lines = lines();
        String all = describe(lines) + "\n(not counted, other libraries:)\n  "
                + describe(all().stream().filter(event -> !isServers(event)).toList());
        assertThat(lines.size()).as("log lines for %d offending connections:\n  %s", offenders, all)
                .isLessThanOrEqualTo(offenders);
        Map<String, Integer> perConnection = new HashMap<>();
        for (ILoggingEvent line : lines) {
            Matcher id = CONNECTION_ID.matcher(line.getFormattedMessage());
            if (id.find()) {
                perConnection.merge(id.group(1), 1, Integer::sum);
            }
        }
        assertThat(perConnection).as("lines per connection:\n  %s", all).allSatisfy((id, count) ->
                assertThat(count).as("lines naming connection %s", id).isEqualTo(1));
        assertThat(lines).as("stack traces logged").allSatisfy(line ->
                assertThat(line.getThrowableProxy()).as(line.getFormattedMessage()).isNull());
    }

    /** Lines whose message contains {@code text}. */
    long count(String text) {
        return lines().stream().filter(line -> line.getFormattedMessage().contains(text)).count();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
