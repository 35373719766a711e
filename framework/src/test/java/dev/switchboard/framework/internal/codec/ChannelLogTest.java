package dev.switchboard.framework.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ChannelLogTest {

    private final Logger log = (Logger) LoggerFactory.getLogger(ChannelLogTest.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final EmbeddedChannel first = new EmbeddedChannel();
    private final EmbeddedChannel second = new EmbeddedChannel();

    @BeforeEach
    void capture() {
        log.setLevel(Level.DEBUG);
        lines.start();
        log.addAppender(lines);
    }

    @AfterEach
    void release() {
        log.detachAppender(lines);
        log.setLevel(null);
        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
    }

    @Test
    void theFirstReportAboutAChannelIsInfoAndLaterOnesDebug() {
        ChannelLog.report(log, first, "[{}] got no reply", "a");
        ChannelLog.report(log, first, "[{}] closing: {}", "a", "not authenticated");
        ChannelLog.report(log, first, "[{}] closing: {}", "a", "slow consumer");

        assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.INFO, Level.DEBUG,
                Level.DEBUG);
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("[a] got no reply",
                "[a] closing: not authenticated", "[a] closing: slow consumer");
    }

    @Test
    void eachChannelHasItsOwnFirstReport() {
        ChannelLog.report(log, first, "first");
        ChannelLog.report(log, second, "second");

        assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.INFO, Level.INFO);
    }

    @Test
    void everyLineCarriesTheConnectionIdAndOnceLoggedInTheUser() {
        ChannelLog.report(log, first, "before login");
        ChannelLog.user(first, 42L);
        ChannelLog.report(log, first, "after login");
        ChannelLog.user(first, null);
        ChannelLog.at(log, org.slf4j.event.Level.WARN, first).log("after logout");

        String id = first.id().asShortText();
        assertThat(lines.list).extracting(event -> String.valueOf(event.getKeyValuePairs())).containsExactly(
                "[conn=\"" + id + "\"]", "[conn=\"" + id + "\", user=\"42\"]", "[conn=\"" + id + "\"]");
    }
}
