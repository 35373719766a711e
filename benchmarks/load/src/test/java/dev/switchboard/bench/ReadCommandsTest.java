package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONObject;
import dev.switchboard.im.server.ImServer;
import dev.switchboard.im.server.ImServerSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench history} and {@code bench conversations} ({@link HistoryCommand}, {@link ConversationsCommand}) as a
 * user runs them: their options, what they refuse, and short runs against an IM server in this JVM.
 */
class ReadCommandsTest {

    private static final String[] SHORT = {"--duration", "500ms", "--warmup", "100ms", "--client-threads", "1"};

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int bench(String... args) {
        return new CommandLine(new BenchCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    private static String[] with(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(more, 0, all, 0, more.length);
        System.arraycopy(first, 0, all, more.length, first.length);
        return all;
    }

    /** The settings a child server gets from the bench (TargetLauncher), in this JVM. */
    private static ImServerSettings benchSettings() {
        return ImServerSettings.forTests().withMessagesPerSecond(0).withFramesPerSecond(0).withConnectionsPerIp(0, 0);
    }

    @Test
    void parsesTheOptionsAndRecordsThemInTheReport(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("history.json");
        try (ImServer server = ImServer.start(benchSettings().withStore("sqlite").withDataDir(dir.resolve("data")),
                Clock.systemUTC(), false)) {
            int exit = bench(with(SHORT, "history", "--target", "external", "--port", String.valueOf(server.port()),
                    "--messages", "400", "--page-size", "20", "--pages-per-walk", "3", "--clients", "3",
                    "--seed-window", "16", "--message-size", "10", "--no-send-baseline", "--json-out",
                    json.toString()));

            assertThat(exit).as(err.toString()).isZero();
        }
        assertThat(out.toString()).contains("bench history", "400 messages in one direct conversation",
                "3 connections, 1 request in flight each, limit 20", "pages/s", "PASS")
                .doesNotContain("plain direct sends");
        JSONObject report = JSON.parseObject(Files.readString(json));
        assertThat(report.getString("workload")).isEqualTo("history");
        JSONObject options = report.getJSONObject("options");
        assertThat(options.getIntValue("messages")).isEqualTo(400);
        assertThat(options.getIntValue("pageSize")).isEqualTo(20);
        assertThat(options.getIntValue("pagesPerWalk")).isEqualTo(3);
        assertThat(options.getIntValue("clients")).isEqualTo(3);
        assertThat(options.getBoolean("sendBaseline")).isFalse();
        JSONObject result = report.getJSONArray("runs").getJSONObject(0).getJSONObject("result");
        assertThat(result.getJSONObject("seed").getLongValue("count")).isEqualTo(400);
        JSONObject measured = result.getJSONObject("measured");
        assertThat(measured.getLongValue("requests")).isPositive();
        assertThat(measured.getLongValue("emptyAnswers")).isZero();
        // Pages of 20 from random starting points: at most 20 messages each, and most of them full.
        assertThat(measured.getLongValue("items")).isLessThanOrEqualTo(20 * measured.getLongValue("requests"))
                .isGreaterThan(10 * measured.getLongValue("requests"));
        assertThat(measured.getJSONObject("latency").getLongValue("p99Micros")).isPositive();
    }

    @Test
    void pagesThroughHistoryOnSqliteAndComparesWithPlainSends(@TempDir Path dir) {
        try (ImServer server = ImServer.start(benchSettings().withStore("sqlite").withDataDir(dir),
                Clock.systemUTC(), false)) {
            int exit = bench(with(SHORT, "history", "--target", "external", "--port", String.valueOf(server.port()),
                    "--messages", "300", "--clients", "2"));

            assertThat(exit).as(err.toString()).isZero();
        }
        assertThat(out.toString()).contains("plain direct sends, same server", "pages/s / direct msgs/s", "PASS");
    }

    @Test
    void listsConversationsAndChecksThatEveryOneIsListed() {
        try (ImServer server = ImServer.start(benchSettings(), Clock.systemUTC(), false)) {
            int exit = bench(with(SHORT, "conversations", "--target", "external", "--port",
                    String.valueOf(server.port()), "--conversations", "60", "--messages-per-conversation", "2",
                    "--page-size", "25", "--clients", "2", "--login-concurrency", "8", "--no-send-baseline"));

            assertThat(exit).as(err.toString()).isZero();
        }
        assertThat(out.toString()).contains("bench conversations", "120 messages from 60 peers",
                "conversations listed", "lists/s", "PASS");
    }

    @Test
    void failsWhenTheServerHoldsLessHistoryThanWasSeeded() {
        // The memory store keeps the newest 1,000 messages per conversation: pages from older starting points are
        // empty, and the run must say so rather than report a rate of empty pages.
        try (ImServer server = ImServer.start(benchSettings(), Clock.systemUTC(), false)) {
            int exit = bench(with(SHORT, "history", "--target", "external", "--port", String.valueOf(server.port()),
                    "--messages", "3000", "--clients", "2", "--no-send-baseline"));

            assertThat(exit).as(err.toString()).isEqualTo(1);
        }
        assertThat(out.toString()).contains("FAIL", "answers empty or short", "newest 1,000 messages");
    }

    @Test
    void refusesTheBaselineRelayAndBadLimits() {
        assertThat(bench("history", "--target", "child", "--compare")).isEqualTo(2);
        assertThat(err.toString()).contains("--compare is not supported", "plain direct sends");
        assertThat(bench("conversations", "--target", "baseline")).isEqualTo(2);
        assertThat(err.toString()).contains("--target baseline is not supported");
        assertThat(bench("history", "--target", "child", "--page-size", "201")).isEqualTo(2);
        assertThat(err.toString()).contains("pageSize outside 1..200: 201");
        assertThat(bench("conversations", "--target", "child", "--conversations", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("conversations < 1: 0");
        assertThat(bench("history", "--messages", "lots")).isEqualTo(2);
        assertThat(err.toString()).contains("'lots'");
    }
}
