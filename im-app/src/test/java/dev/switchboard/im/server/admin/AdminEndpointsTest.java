package dev.switchboard.im.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.testing.Eventually;
import dev.switchboard.im.server.AdminSettings;
import dev.switchboard.im.server.ImServer;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.server.ServerCommand;
import dev.switchboard.im.testing.AdminStats;
import dev.switchboard.im.testing.ChatClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The IM server's admin listener over real loopback HTTP, and the {@code server} command's admin flags. */
class AdminEndpointsTest {

    private static final String TOKEN = "a-long-enough-admin-token";

    private ImServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ImServer start(ImServerSettings settings) {
        server = ImServer.start(settings, Clock.systemUTC(), false);
        return server;
    }

    @Test
    void offByDefault() {
        assertThat(start(ImServerSettings.forTests()).adminPort()).isEmpty();
    }

    @Test
    void statsCountConnectionsAndOnlineUsers() throws Exception {
        int admin = start(ImServerSettings.forTests().withAdmin(AdminSettings.loopback(0))).adminPort().getAsInt();
        try (ChatClient alice = ChatClient.login(server.port(), 2, "alice");
                ChatClient anonymous = ChatClient.connect(server.port(), 2)) {
            // The anonymous connection is counted once the server has accepted it, which connect() does not wait for.
            Eventually.until("the server counts both connections", () -> connections(admin) == 2);
            AdminStats stats = AdminStats.fetch(admin);
            assertThat(stats.connections()).isEqualTo(2);
            assertThat(stats.onlineUsers()).isEqualTo(1);
            assertThat(stats.heapUsedBytes()).isPositive();

            AdminStats afterGc = AdminStats.afterGc(admin);
            assertThat(afterGc.connections()).isEqualTo(2);
        }
        assertThat(AdminStats.request(admin, "GET", "/gc", null).statusCode()).as("GC only by POST").isEqualTo(405);
        assertThat(AdminStats.request(admin, "DELETE", "/stats", null).statusCode()).isEqualTo(405);
        assertThat(AdminStats.request(admin, "GET", "/users", null).statusCode()).isEqualTo(404);
    }

    private static long connections(int admin) {
        try {
            return AdminStats.fetch(admin).connections();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aConfiguredTokenIsRequired() throws Exception {
        int admin = start(ImServerSettings.forTests().withAdmin(AdminSettings.loopback(0).withToken(TOKEN)))
                .adminPort().getAsInt();
        assertThat(AdminStats.request(admin, "GET", "/stats", null).statusCode()).isEqualTo(401);
        assertThat(AdminStats.request(admin, "POST", "/gc", "wrong-token-wrong-token").statusCode()).isEqualTo(401);
        assertThat(AdminStats.request(admin, "GET", "/stats", TOKEN).body()).contains("\"connections\":0");
    }

    @Test
    void theTokenIsNeverPrinted() {
        assertThat(AdminSettings.loopback(9090).withToken(TOKEN).toString()).doesNotContain(TOKEN).contains("***");
    }

    @Test
    void serverFlagsAreCheckedBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Path shortToken = Files.writeString(dir.resolve("short"), "tooshort\n");
        assertThat(runServer("--admin-port", "0", "--admin-token-file", shortToken.toString()))
                .contains("must be at least 16 characters");
        assertThat(runServer("--admin-port", "0", "--admin-token-file", dir.resolve("missing").toString()))
                .contains("cannot read --admin-token-file");
        assertThat(runServer("--admin-token-file", shortToken.toString()))
                .contains("--admin-token-file needs --admin-port");
        assertThat(runServer("--admin-port", "70000")).contains("--admin-port outside 0..65535");
    }

    /** Runs the {@code server} command with arguments that must be refused; returns what it printed. */
    private static String runServer(String... args) {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new ServerCommand()).setErr(new PrintWriter(err, true));
        int exit = command.execute(args);
        assertThat(exit).as("exit status for %s", String.join(" ", args)).isEqualTo(2);
        return err.toString();
    }
}
