package dev.switchboard.im.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.ClientTls;
import dev.switchboard.framework.ServerTls;
import dev.switchboard.framework.testing.TestCertificates;
import dev.switchboard.framework.testing.TestCertificates.Issued;
import dev.switchboard.framework.testing.TestCertificates.KeyType;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.server.ImServer;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.testing.ChatClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The IM server over TLS with the console client's own connection code: log in, send, receive. */
class TlsEndToEndTest {

    @TempDir
    Path dir;

    private final TestCertificates authority = TestCertificates.authority();
    private final OutputLines out = new OutputLines();
    private ImServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(ServerTls tls) {
        server = ImServer.start(ImServerSettings.forTests().withTls(tls), Clock.systemUTC(), false);
    }

    /** Runs the {@code client} command in batch mode against the server. */
    private int console(String stdin, String... args) {
        ClientCommand command = new ClientCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                out.stream, false, false);
        String[] all = new String[args.length + 4];
        all[0] = "--port";
        all[1] = String.valueOf(server.port());
        all[2] = "--password";
        all[3] = "pw-alice";
        System.arraycopy(args, 0, all, 4, args.length);
        return new CommandLine(command).execute(all);
    }

    @Test
    void theConsoleClientLogsInAndSendsTrustingTheServersAuthority() throws Exception {
        Issued certificate = authority.issue(KeyType.RSA, "127.0.0.1", "localhost");
        start(ServerTls.pem(certificate.writeChain(dir.resolve("chain.pem")),
                certificate.writeTraditionalKey(dir.resolve("key.pem"))));
        Path ca = authority.self().writeCertificate(dir.resolve("ca.pem"));

        try (ChatClient bob = ChatClient.login(server.port(), 2, "bob", ClientTls.trusting(ca))) {
            int exit = console("sendToUser bob hello over tls\n", "--tls", "--trust", ca.toString(), "--user",
                    "alice");

            assertThat(exit).isZero();
            assertThat(out.lines().get(0)).startsWith("[login] ok user=alice");
            assertThat(out.starting("[ack] ")).hasSize(1);
            MessageResponse received = bob.next(MessageResponse.class);
            assertThat(received.fromUserName()).isEqualTo("alice");
            assertThat(received.message()).isEqualTo("hello over tls");
        }
    }

    @Test
    void anInsecureConsoleClientTalksToASelfSignedServer() throws Exception {
        start(ServerTls.selfSigned());

        try (ChatClient bob = ChatClient.login(server.port(), 2, "bob", ClientTls.insecure())) {
            int exit = console("sendToUser bob hi\n", "--tls", "--insecure", "--user", "alice");

            assertThat(exit).isZero();
            assertThat(out.lines().get(0)).startsWith("[login] ok user=alice");
            assertThat(bob.next(MessageResponse.class).message()).isEqualTo("hi");
        }
    }

    @Test
    void aConsoleClientThatDoesNotTrustTheCertificateCannotConnect() {
        start(ServerTls.selfSigned());
        Path stranger = TestCertificates.selfSigned(KeyType.EC, "127.0.0.1").writeCertificate(dir.resolve("x.pem"));

        int exit = console("sendToUser bob hi\n", "--tls", "--trust", stranger.toString(), "--user", "alice");

        assertThat(exit).isEqualTo(1);
        assertThat(out.lines()).singleElement().asString()
                .startsWith("[error] cannot connect to 127.0.0.1:" + server.port() + ": ")
                .contains("certification path");
    }
}
