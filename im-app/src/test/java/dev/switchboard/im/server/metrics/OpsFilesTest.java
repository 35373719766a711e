package dev.switchboard.im.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.server.AdminSettings;
import dev.switchboard.im.server.ImServer;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.testing.AdminStats;
import dev.switchboard.im.testing.ChatClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ops files and the metrics documentation against what a real server exposes: the Grafana dashboard and the
 * Prometheus alert rules query only series that exist (a renamed meter would leave a panel silently empty), and
 * docs/operations.md lists every {@code switchboard_*} meter the server has. The server runs the SQLite store,
 * so that the store's meters are there too.
 */
class OpsFilesTest {

    private static final Path REPOSITORY = Path.of("..");
    private static final Pattern QUERIED = Pattern.compile("\\bswitchboard_[a-z0-9_]+");
    private static final Pattern SAMPLE = Pattern.compile("(?m)^(switchboard_[a-z0-9_]+)[{ ]");
    /** The series a histogram or summary adds to its family's name, and the {@code _max} gauge beside it. */
    private static final Pattern SERIES_SUFFIX = Pattern.compile("_(bucket|count|sum|max)$");

    @TempDir
    static Path dataDir;
    private static ImServer server;
    private static Set<String> exposed;

    @BeforeAll
    static void scrapeAfterTraffic() throws Exception {
        server = ImServer.start(ImServerSettings.forTests().withStore("sqlite").withDataDir(dataDir)
                .withAdmin(AdminSettings.loopback(0)), Clock.systemUTC(), false);
        try (ChatClient alice = ChatClient.login(server.port(), 2, "alice");
                ChatClient bob = ChatClient.login(server.port(), 2, "bob")) {
            alice.send(new MessageRequest(bob.userId(), "hello", "m1", null));
            assertThat(alice.next(SendAck.class).clientMsgId()).isEqualTo("m1");
            assertThat(bob.next(MessageResponse.class).message()).isEqualTo("hello");
        }
        HttpResponse<String> scrape = AdminStats.request(server.adminPort().getAsInt(), "GET", "/metrics", null);
        assertThat(scrape.statusCode()).isEqualTo(200);
        exposed = matches(SAMPLE, scrape.body(), 1);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theDashboardQueriesOnlyExposedSeries() throws IOException {
        Set<String> queried = matches(QUERIED, Files.readString(REPOSITORY.resolve("ops/grafana-dashboard.json")), 0);
        assertThat(queried).as("the dashboard queries switchboard meters").hasSizeGreaterThan(10);
        assertThat(exposed).containsAll(queried);
    }

    @Test
    void theAlertRulesQueryOnlyExposedSeries() throws IOException {
        Set<String> queried = matches(QUERIED, Files.readString(REPOSITORY.resolve("ops/prometheus-alerts.yml")), 0);
        assertThat(queried).as("the alert rules query switchboard meters").hasSizeGreaterThan(3);
        assertThat(exposed).containsAll(queried);
    }

    @Test
    void everyExposedMeterIsDocumented() throws IOException {
        String operations = Files.readString(REPOSITORY.resolve("docs/operations.md"));
        Set<String> undocumented = new TreeSet<>();
        for (String series : exposed) {
            String family = SERIES_SUFFIX.matcher(series).replaceFirst("");
            if (!operations.contains("`" + family + "`")) {
                undocumented.add(family);
            }
        }
        assertThat(undocumented).as("meters missing from docs/operations.md, The meters").isEmpty();
    }

    private static Set<String> matches(Pattern pattern, String text, int group) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(group));
        }
        return found;
    }
}
