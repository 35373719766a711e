package dev.switchboard.framework.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.framework.internal.transport.SourceLimits.Settings;
import dev.switchboard.framework.internal.transport.SourceLimits.Verdict;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SourceLimitsTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private static InetAddress address(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void anAddressMayHoldAtMostMaxOpenConnectionsAndGetsASlotBackWhenOneCloses() throws Exception {
        SourceLimits limits = new SourceLimits(new Settings(2, 0, 0), nanos::get);
        InetAddress one = address("192.0.2.1");
        assertThat(limits.admit(one)).isEqualTo(Verdict.ACCEPTED);
        assertThat(limits.admit(one)).isEqualTo(Verdict.ACCEPTED);
        assertThat(limits.admit(one)).isEqualTo(Verdict.TOO_MANY_OPEN);
        assertThat(limits.admit(address("192.0.2.2"))).as("another address").isEqualTo(Verdict.ACCEPTED);

        limits.released(one);
        assertThat(limits.admit(one)).isEqualTo(Verdict.ACCEPTED);
        limits.released(one);
        limits.released(one);
        assertThat(limits.openFrom(one)).isZero();
    }

    @Test
    void newConnectionsArriveNoFasterThanTheRateAfterTheBurst() throws Exception {
        SourceLimits limits = new SourceLimits(new Settings(0, 10, 20), nanos::get);
        InetAddress one = address("192.0.2.1");
        for (int i = 0; i < 20; i++) {
            assertThat(limits.admit(one)).as("burst %d", i).isEqualTo(Verdict.ACCEPTED);
        }
        assertThat(limits.admit(one)).isEqualTo(Verdict.TOO_FAST);
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(100)); // one token per 100 ms
        assertThat(limits.admit(one)).isEqualTo(Verdict.ACCEPTED);
        assertThat(limits.admit(one)).isEqualTo(Verdict.TOO_FAST);
    }

    @Test
    void aRefusedRateDoesNotTakeAnOpenSlot() throws Exception {
        SourceLimits limits = new SourceLimits(new Settings(5, 1, 1), nanos::get);
        InetAddress one = address("192.0.2.1");
        assertThat(limits.admit(one)).isEqualTo(Verdict.ACCEPTED);
        assertThat(limits.admit(one)).isEqualTo(Verdict.TOO_FAST);
        assertThat(limits.openFrom(one)).isEqualTo(1);
    }

    @Test
    void zeroTurnsALimitOff() throws Exception {
        SourceLimits limits = new SourceLimits(Settings.off(), nanos::get);
        for (int i = 0; i < 10_000; i++) {
            assertThat(limits.admit(address("192.0.2.1"))).isEqualTo(Verdict.ACCEPTED);
        }
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new Settings(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings(0, 10, 0)).hasMessageContaining("burst");
    }
}
