package dev.switchboard.bench.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetLauncherTest {

    @Test
    void startsTheImServerOnAFreeLoopbackPortWithoutRateLimitsWithCheapHashingAndAnAdminListener() {
        TargetOptions options = new TargetOptions("127.0.0.1", null, null, null, "sqlite", 1, "switchboard-im.jar",
                List.of(), List.of("--max-group-size", "10000"), Duration.ofSeconds(5), false);
        assertThat(TargetLauncher.imServerArguments(options)).containsExactly(
                "server", "--host", "127.0.0.1", "--port", "{port}", "--store", "sqlite", "--data-dir", "{dataDir}",
                "--password-iterations", "1000", "--rate-limit", "0", "--max-connections-per-ip", "0",
                "--connection-rate-per-ip", "0", "--frame-rate", "0", "--admin-port", "{adminPort}",
                "--max-group-size", "10000");
    }

    @Test
    void startsClusterNodesOnPostgresWithTheirNodeIdTheDatabaseAndRedisBeforeTheUsersArguments() {
        TargetOptions options = new TargetOptions("127.0.0.1", null, null, null, "memory", 3, "switchboard-im.jar",
                List.of(), List.of("--max-group-size", "10000"), Duration.ofSeconds(5), false);
        assertThat(TargetLauncher.clusterNodeArguments(options, "node2", "jdbc:postgresql://127.0.0.1:5432/b",
                URI.create("redis://127.0.0.1:6379"))).containsExactly(
                "server", "--host", "127.0.0.1", "--port", "{port}", "--store", "postgres", "--data-dir", "{dataDir}",
                "--password-iterations", "1000", "--rate-limit", "0", "--max-connections-per-ip", "0",
                "--connection-rate-per-ip", "0", "--frame-rate", "0", "--admin-port", "{adminPort}",
                "--postgres", "jdbc:postgresql://127.0.0.1:5432/b", "--cluster", "--node-id", "node2",
                "--redis", "redis://127.0.0.1:6379", "--max-group-size", "10000");
        assertThat(TargetKind.CLUSTER.baselineCounterpart()).isEqualTo(TargetKind.BASELINE_CHILD);
        assertThat(TargetKind.parse("cluster")).isEqualTo(TargetKind.CLUSTER);
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
        TargetOptions remote = new TargetOptions("192.0.2.1", 8000, null, null, "memory", 1, "switchboard-im.jar",
                List.of(), List.of(), Duration.ofSeconds(5), false);
        assertThatThrownBy(() -> new TargetLauncher(remote))
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
