package dev.switchboard.bench.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetLauncherTest {

    @Test
    void startsTheImServerOnAFreeLoopbackPortWithoutRateLimitsWithCheapHashingAndAnAdminListener() {
        TargetOptions options = new TargetOptions("127.0.0.1", null, null, "sqlite", "switchboard-im.jar", List.of(),
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
        TargetOptions remote = new TargetOptions("192.0.2.1", 8000, null, "memory", "switchboard-im.jar", List.of(),
                List.of(), Duration.ofSeconds(5), false);
        assertThatThrownBy(() -> TargetLauncher.start(TargetKind.EXTERNAL, remote))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }

    @Test
    void startsTheImServerFromTheJarItWasGivenByItsAbsolutePath(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("switchboard-im.jar"));
        assertThat(TargetLauncher.imServerJar(jar)).isEqualTo(jar.toAbsolutePath().normalize().toString());
    }

    @Test
    void namesAMissingServerJarAndHowToBuildIt(@TempDir Path dir) {
        Path missing = dir.resolve("im-app/target/switchboard-im.jar");
        assertThatThrownBy(() -> TargetLauncher.imServerJar(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IM server jar not found: " + missing.toAbsolutePath())
                .hasMessageContaining("mvn -B -q package -DskipTests")
                .hasMessageContaining("--server-jar PATH");
        assertThatThrownBy(() -> TargetLauncher.imServerJar(dir)).as("a directory is not a jar")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
