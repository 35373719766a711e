package dev.switchboard.im.bench.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetLauncherTest {

    @Test
    void startsTheImServerOnAFreeLoopbackPortWithoutRateLimitsWithCheapHashingAndAnAdminListener() {
        TargetOptions options = new TargetOptions("127.0.0.1", null, null, "sqlite", List.of(),
                List.of("--max-group-size", "10000"), Duration.ofSeconds(5), false);
        assertThat(TargetLauncher.imServerArguments(options)).containsExactly(
                "server", "--host", "127.0.0.1", "--port", "{port}", "--store", "sqlite", "--data-dir", "{dataDir}",
                "--password-iterations", "1000", "--rate-limit", "0", "--max-connections-per-ip", "0",
                "--connection-rate-per-ip", "0", "--frame-rate", "0", "--admin-port", "{adminPort}",
                "--max-group-size", "10000");
    }

    @Test
    void comparesOutOfProcessTargetsWithTheBaselineOutOfProcess() {
        assertThat(TargetKind.CHILD.baselineCounterpart()).isEqualTo(TargetKind.BASELINE_CHILD);
        assertThat(TargetKind.EXTERNAL.baselineCounterpart()).isEqualTo(TargetKind.BASELINE_CHILD);
        assertThat(TargetKind.BASELINE.baselineCounterpart()).isEqualTo(TargetKind.BASELINE);
        assertThat(TargetKind.parse(" Baseline-Child ")).isEqualTo(TargetKind.BASELINE_CHILD);
    }

    @Test
    void refusesHostsOutsideLoopback() {
        TargetOptions remote = new TargetOptions("192.0.2.1", 8000, null, "memory", List.of(), List.of(),
                Duration.ofSeconds(5), false);
        assertThatThrownBy(() -> TargetLauncher.start(TargetKind.EXTERNAL, remote))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }
}
