package dev.switchboard.framework.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.framework.AdminResponse;
import dev.switchboard.framework.Server;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ReadinessTest {

    private final AtomicReference<Server.State> state = new AtomicReference<>(Server.State.SERVING);
    private final AtomicBoolean bound = new AtomicBoolean(true);
    private final AtomicBoolean storeUp = new AtomicBoolean(true);
    private final AtomicInteger storeAsked = new AtomicInteger();
    private final Logger logger = (Logger) LoggerFactory.getLogger(Readiness.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    private final Readiness readiness = new Readiness(state::get, bound::get, List.of(
            new Readiness.Check("store", () -> {
                storeAsked.incrementAndGet();
                if (!storeUp.get()) {
                    throw new IllegalStateException("secret /var/lib/db path unreachable");
                }
            }),
            new Readiness.Check("always", () -> { })));

    @BeforeEach
    void capture() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
    }

    @Test
    void readyWhileServingBoundAndEveryCheckPasses() {
        AdminResponse answer = readiness.evaluate().toResponse();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("ready\n");
    }

    @Test
    void notReadyInAnyOtherStateWithoutAskingTheChecks() {
        for (Server.State other : List.of(Server.State.NEW, Server.State.STARTING, Server.State.DRAINING,
                Server.State.STOPPED)) {
            state.set(other);
            AdminResponse answer = readiness.evaluate().toResponse();
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.body()).isEqualTo("not ready: server is " + other.name().toLowerCase(Locale.ROOT) + "\n");
        }
        assertThat(storeAsked).hasValue(0);
    }

    @Test
    void notReadyWhileThePortIsNotBound() {
        bound.set(false);
        assertThat(readiness.evaluate()).isEqualTo(new Readiness.Verdict(false, "port not bound"));
    }

    @Test
    void aFailingCheckIsNamedButItsMessageIsOnlyLoggedOncePerIncident() {
        storeUp.set(false);
        for (int i = 0; i < 5; i++) {
            AdminResponse answer = readiness.evaluate().toResponse();
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.body()).isEqualTo("not ready: check failed: store\n").doesNotContain("secret");
        }
        assertThat(log.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).isEqualTo(
                    "readiness check store fails: java.lang.IllegalStateException: secret /var/lib/db path unreachable");
        });

        storeUp.set(true);
        assertThat(readiness.evaluate().ready()).isTrue();
        assertThat(readiness.evaluate().ready()).isTrue();
        assertThat(log.list).hasSize(2);
        assertThat(log.list.get(1).getLevel()).isEqualTo(Level.INFO);
        assertThat(log.list.get(1).getFormattedMessage()).isEqualTo("readiness check store passes again");
    }

    @Test
    void everyFailingCheckIsNamedInOrder() {
        Readiness two = new Readiness(state::get, bound::get, List.of(
                new Readiness.Check("disk", () -> {
                    throw new java.io.IOException("full");
                }),
                new Readiness.Check("ok", () -> { }),
                new Readiness.Check("cache", () -> {
                    throw new InterruptedException("stop");
                })));
        assertThat(two.evaluate()).isEqualTo(new Readiness.Verdict(false, "check failed: disk, cache"));
        assertThat(Thread.interrupted()).as("an interrupted check keeps the interrupt").isTrue();
    }
}
