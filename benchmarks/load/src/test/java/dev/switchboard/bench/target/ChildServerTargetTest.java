package dev.switchboard.bench.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.bench.client.BenchClient;
import dev.switchboard.bench.client.BenchClientSettings;
import dev.switchboard.bench.client.ClientListener;
import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.measure.ServerStats;
import dev.switchboard.bench.protocol.BodyFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Starts real child JVMs with this test's class path. */
class ChildServerTargetTest {

    private static final TargetOptions OPTIONS =
            TargetOptions.child("memory", System.getProperty("java.class.path"), List.of("-Xmx128m"),
                    Duration.ofSeconds(30));

    @Test
    void startsTheBaselineInAChildReadsItsPortAndStopsIt() throws Exception {
        long pid;
        Path dataDir;
        try (TargetLauncher launcher = new TargetLauncher(OPTIONS);
                BenchTarget target = launcher.start(TargetKind.BASELINE_CHILD);
                ClientTransport transport = new ClientTransport(1)) {
            assertThat(target.inProcess()).isFalse();
            pid = ((ChildServerTarget) target).pid();
            dataDir = ((ChildServerTarget) target).dataDir();
            BenchClient client = transport.connect(target.address(), null,
                    BenchClientSettings.defaults(BodyFormat.JSON), ClientListener.NONE).get(10, TimeUnit.SECONDS);
            assertThat(connectionsSeen(target, 1)).isEqualTo(1);
            client.close().get(10, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Files.exists(dataDir)).isFalse();
    }

    @Test
    void restartsAKilledChildOnTheSameDataDirectoryAndPort() throws Exception {
        try (TargetLauncher launcher = new TargetLauncher(OPTIONS);
                ChildServerTarget target = (ChildServerTarget) launcher.start(TargetKind.BASELINE_CHILD);
                ClientTransport transport = new ClientTransport(1)) {
            long firstPid = target.pid();
            int port = target.address().getPort();

            target.kill();
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            target.restart();

            assertThat(target.pid()).isNotEqualTo(firstPid);
            assertThat(target.address().getPort()).isEqualTo(port);
            BenchClient client = transport.connect(target.address(), null,
                    BenchClientSettings.defaults(BodyFormat.JSON), ClientListener.NONE).get(10, TimeUnit.SECONDS);
            assertThat(connectionsSeen(target, 1)).isEqualTo(1);
            client.close().get(10, TimeUnit.SECONDS);
            assertThat(Files.readString(target.dataDir().resolve("server.log")))
                    .contains("--- bench: start 1 of", "--- bench: start 2 of");
        }
    }

    @Test
    void refusesToRestartAChildThatIsStillRunning() throws Exception {
        try (TargetLauncher launcher = new TargetLauncher(OPTIONS);
                ChildServerTarget target = (ChildServerTarget) launcher.start(TargetKind.BASELINE_CHILD)) {
            assertThatThrownBy(target::restart).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("still running");
        }
    }

    @Test
    void namesTheCommandAndOutputWhenTheChildNeverGetsReady() {
        ChildServerTarget.Spec spec = new ChildServerTarget.Spec("broken", "dev.switchboard.no.SuchMain", List.of(),
                System.getProperty("java.class.path"), List.of(), "Never ready on ", 20, "127.0.0.1", false);
        assertThatThrownBy(() -> ChildServerTarget.start(spec))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not print 'Never ready on HOST:PORT'")
                .hasMessageContaining("dev.switchboard.no.SuchMain")
                .hasMessageContaining("ClassNotFoundException");
    }

    /** The child's connection count once it reaches {@code expected} (it counts a connection once it accepted it). */
    private static long connectionsSeen(BenchTarget target, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long seen;
        do {
            seen = ServerStats.afterGc(target.adminAddress().orElseThrow()).connections();
        } while (seen != expected && System.nanoTime() < deadline);
        return seen;
    }
}
