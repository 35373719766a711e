package dev.switchboard.im.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What a fuzz target's connection made the server log, and the rule every execution must keep: no line with a
 * stack trace, none at WARN or above, at most two at INFO (one unanswered failure or refusal, one close).
 */
final class QuietLog implements AutoCloseable {

    private static final int MAX_INFO_LINES = 2;

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    /** Starts capturing everything logged. */
    QuietLog() {
        lines.start();
        root.addAppender(lines);
    }

    /** Forgets what was logged so far (the harness's own set-up). */
    void clear() {
        lines.list.clear();
    }

    /** Fails unless what was logged since {@link #clear} keeps the rule. */
    void assertQuiet() {
        List<ILoggingEvent> events = List.copyOf(lines.list);
        assertThat(events).as("log lines with a stack trace").noneMatch(event -> event.getThrowableProxy() != null);
        assertThat(events).as("log lines at WARN or above")
                .noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
        assertThat(events).as("INFO lines for one connection").hasSizeLessThanOrEqualTo(MAX_INFO_LINES);
    }

    @Override
    public void close() {
        root.detachAppender(lines);
        lines.stop();
    }
}
