package dev.switchboard.im.bench.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class if Netty's leak detector reports a leaked buffer while it runs. The build runs tests at
 * {@code paranoid} level; leaks are reported when a leaked buffer has been collected and another is allocated,
 * so the check collects garbage and allocates before looking.
 */
public final class NettyLeakCheck implements BeforeAllCallback, AfterAllCallback {

    private static final String DETECTOR_LOGGER = ResourceLeakDetector.class.getName();

    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.ERROR) && event.getFormattedMessage().contains("LEAK")) {
                reports.add(event.getFormattedMessage());
            }
        }
    };

    @Override
    public void beforeAll(ExtensionContext context) {
        appender.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
        appender.start();
        ((Logger) LoggerFactory.getLogger(DETECTOR_LOGGER)).addAppender(appender);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            for (int round = 0; round < 3; round++) {
                System.gc();
                for (int i = 0; i < 64; i++) {
                    ByteBuf probe = ByteBufAllocator.DEFAULT.directBuffer(16);
                    probe.release();
                }
            }
            assertThat(reports).as("Netty leak reports").isEmpty();
        } finally {
            ((Logger) LoggerFactory.getLogger(DETECTOR_LOGGER)).detachAppender(appender);
            appender.stop();
        }
    }
}
