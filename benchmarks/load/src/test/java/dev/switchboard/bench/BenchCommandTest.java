package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONObject;
import dev.switchboard.framework.ServerTls;
import dev.switchboard.bench.baseline.BaselineRelayServer;
import dev.switchboard.bench.protocol.MessageResponse;
import dev.switchboard.bench.testing.TamperingProxy;
import dev.switchboard.im.server.ImServer;
import dev.switchboard.im.server.ImServerSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user runs it: options, table, JSON file and exit codes. */
class BenchCommandTest {

    private static final String[] SHORT = {"--duration", "600ms", "--warmup", "200ms", "--client-threads", "1"};

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int bench(String... args) {
        CommandLine commandLine = new CommandLine(new BenchCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private static String[] with(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(more, 0, all, 0, more.length);
        System.arraycopy(first, 0, all, more.length, first.length);
        return all;
    }

    @Test
    void comparesTwoRunsAndWritesTheJsonReport(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("direct.json");
        int exit = bench(with(SHORT, "direct", "--target", "baseline", "--compare", "--pairs", "2",
                "--serializer", "jsonb", "--drain", "3s", "--json-out", json.toString()));

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("bench direct", "messages/s", "PASS", "ratio baseline / baseline");
        JSONObject report = JSON.parseObject(Files.readString(json));
        assertThat(report.getString("workload")).isEqualTo("direct");
        assertThat(report.getBoolean("passed")).isTrue();
        assertThat(report.getJSONObject("options").getString("serializer")).isEqualTo("jsonb");
        assertThat(report.getJSONArray("runs")).hasSize(2);
        JSONObject first = report.getJSONArray("runs").getJSONObject(0);
        assertThat(first.getDouble("headline")).isPositive();
        assertThat(first.getJSONObject("result").getJSONObject("counts").getLong("lost")).isZero();
        assertThat(first.getJSONObject("result").getJSONObject("latency").getLong("p99Micros")).isPositive();
        assertThat(report.getDouble("ratio")).isPositive();
    }

    @Test
    void exitsWithOneWhenMessagesAreLost() throws Exception {
        AtomicInteger deliveries = new AtomicInteger();
        try (BaselineRelayServer relay = new BaselineRelayServer().start("127.0.0.1", 0);
                TamperingProxy proxy = new TamperingProxy(new InetSocketAddress("127.0.0.1", relay.port()),
                        packet -> packet instanceof MessageResponse && deliveries.incrementAndGet() == 4 ? 0 : 1)) {
            int exit = bench(with(SHORT, "direct", "--target", "external", "--port", String.valueOf(proxy.port()),
                    "--pairs", "1", "--drain", "1s"));

            assertThat(exit).isEqualTo(1);
            assertThat(out.toString()).contains("FAIL", "1 acknowledged deliveries lost");
        }
    }

    @Test
    void exitsWithTwoWhenTheBenchmarkCannotRun() {
        assertThat(bench(with(SHORT, "logins", "--target", "external"))).isEqualTo(2);
        assertThat(err.toString()).contains("--target external needs --port");

        assertThat(bench(with(SHORT, "direct", "--target", "baseline", "--host", "10.1.2.3"))).isEqualTo(2);
        assertThat(err.toString()).contains("loopback");
    }

    @Test
    void refusesKillUnderLoadWhereNothingCanBeKilledOrNothingSurvivesAKill() {
        assertThat(bench("direct", "--target", "baseline", "--kill-every", "1s")).isEqualTo(2);
        assertThat(err.toString()).contains("--kill-every needs --target child");
        assertThat(bench("group", "--target", "child", "--store", "memory", "--kill-every", "1s")).isEqualTo(2);
        assertThat(err.toString()).contains("--kill-every needs --store sqlite");
        assertThat(bench("direct", "--target", "child", "--store", "sqlite", "--kill-every", "1s", "--compare"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("cannot be combined with --compare");
        assertThat(bench("direct", "--target", "child", "--store", "sqlite", "--kill-every", "1s", "--rate", "100"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--rate is not supported");
    }

    @Test
    void spreadsClientsOverEveryServerOfServers() throws Exception {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        try (BaselineRelayServer relay = new BaselineRelayServer().start("127.0.0.1", 0);
                TamperingProxy one = new TamperingProxy(new InetSocketAddress("127.0.0.1", relay.port()),
                        packet -> {
                            first.incrementAndGet();
                            return 1;
                        });
                TamperingProxy two = new TamperingProxy(new InetSocketAddress("127.0.0.1", relay.port()),
                        packet -> {
                            second.incrementAndGet();
                            return 1;
                        })) {
            int exit = bench(with(SHORT, "direct", "--target", "external", "--servers",
                    "127.0.0.1:" + one.port() + ",127.0.0.1:" + two.port(), "--pairs", "2", "--drain", "3s"));

            assertThat(exit).as(err.toString()).isZero();
            assertThat(out.toString()).contains("external 127.0.0.1:" + one.port() + ",127.0.0.1:" + two.port());
            assertThat(first.get()).as("packets through the first server").isPositive();
            assertThat(second.get()).as("packets through the second server").isPositive();
        }
    }

    @Test
    void refusesServersAndClusterOptionsThatDoNotFit() {
        assertThat(bench("direct", "--target", "external", "--servers", "127.0.0.1:8001,192.0.2.1:8002"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("192.0.2.1:8002 is not on loopback");
        assertThat(bench("direct", "--target", "child", "--servers", "127.0.0.1:8001")).isEqualTo(2);
        assertThat(err.toString()).contains("--servers is for --target external");
        assertThat(bench("direct", "--target", "child", "--compare-single")).isEqualTo(2);
        assertThat(err.toString()).contains("--compare-single needs --target cluster");
        assertThat(bench("direct", "--target", "cluster", "--kill-every", "1s", "--compare-single")).isEqualTo(2);
        assertThat(err.toString()).contains("cannot be combined with --compare or --compare-single");
        assertThat(bench("connections", "--target", "external", "--servers", "127.0.0.1:8001,127.0.0.1:8002",
                "--admin-port", "8003")).isEqualTo(2);
        assertThat(err.toString()).contains("connections reads one server's heap");
    }

    @Test
    void rejectsUnknownTargetsAndSerializers() {
        assertThat(bench("direct", "--target", "mars")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown target 'mars'");
        assertThat(bench("group", "--serializer", "xml")).isEqualTo(2);
        assertThat(err.toString()).contains("'xml' is not json or jsonb");
    }

    @Test
    void runsEveryWorkloadAgainstTheBaseline() {
        assertThat(bench(with(SHORT, "group", "--target", "baseline", "--members", "5", "--senders", "2")))
                .as(err.toString()).isZero();
        assertThat(bench(with(SHORT, "connections", "--target", "baseline", "--connections", "20",
                "--per-address", "10"))).as(err.toString()).isZero();
        assertThat(bench("logins", "--target", "baseline", "--concurrency", "2", "--duration", "200ms",
                "--warmup", "100ms", "--client-threads", "1"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("bench group", "bench connections", "bench logins", "token");
    }

    @Test
    void runsOverTlsAgainstATlsServer() throws Exception {
        // The settings a child server gets from the bench (TargetLauncher), in this JVM.
        ImServerSettings settings = ImServerSettings.forTests().withMessagesPerSecond(0).withFramesPerSecond(0)
                .withConnectionsPerIp(0, 0).withTls(ServerTls.selfSigned());
        try (ImServer server = ImServer.start(settings, Clock.systemUTC(), false)) {
            int exit = bench(with(SHORT, "direct", "--target", "external", "--port", String.valueOf(server.port()),
                    "--tls", "--pairs", "2", "--drain", "3s"));

            assertThat(exit).as(err.toString()).isZero();
            assertThat(out.toString()).contains("bench direct", "PASS");
        }
    }

    @Test
    void refusesTlsWithTheBaselineRelay() {
        assertThat(bench("direct", "--target", "baseline", "--tls")).isEqualTo(2);
        assertThat(err.toString()).contains("--tls needs --target child, cluster or external");
        assertThat(bench("direct", "--target", "child", "--compare", "--tls")).isEqualTo(2);
    }

    @Test
    void stopsBeforeAnyRunWhenTheServerJarIsMissing(@TempDir Path dir) {
        Path missing = dir.resolve("switchboard-im.jar");
        assertThat(bench(with(SHORT, "direct", "--target", "child", "--compare", "--server-jar", missing.toString())))
                .isEqualTo(2);
        assertThat(err.toString()).contains("IM server jar not found: " + missing.toAbsolutePath(),
                "mvn -B -q package -DskipTests").doesNotContain("running against");
    }
}
