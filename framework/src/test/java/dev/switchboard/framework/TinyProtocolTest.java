package dev.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.framework.fixtures.tiny.Heard;
import dev.switchboard.framework.fixtures.tiny.Shout;
import dev.switchboard.framework.fixtures.tiny.TextSerializer;
import dev.switchboard.framework.fixtures.tiny.TinyWireFormat;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The framework running a protocol that has nothing to do with the IM one. */
class TinyProtocolTest {

    private static final String TINY = "dev.switchboard.framework.fixtures.tiny";

    private static Server tinyServer() {
        return Switchboard.server(c -> c.scan(TINY).wireFormat(new TinyWireFormat())
                .serializers(new TextSerializer()).maxBodyLength(TinyWireFormat.MAX_BODY)
                .host("127.0.0.1").port(0).ioThreads(1).businessExecutor(1, 10).shutdownHook(false)).start();
    }

    @Test
    void aClientAndServerSpeakTheTinyProtocol() throws Exception {
        try (Server server = tinyServer();
                Client client = Switchboard.client(c -> c.scan(TINY).wireFormat(new TinyWireFormat())
                        .serializers(new TextSerializer()).maxBodyLength(TinyWireFormat.MAX_BODY)
                        .port(server.port()).ioThreads(1).businessExecutor(1, 10).noReconnect()).connect()) {
            assertThat(client.request(new Shout("héllo"), Heard.class).get(5, TimeUnit.SECONDS))
                    .isEqualTo(new Heard("HÉLLO"));
        }
    }

    @Test
    void theBytesOnTheWireAreTheTinyFormat() throws Exception {
        try (Server server = tinyServer(); Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {(byte) 0xCA, (byte) 0xFE, 1, 0, 2, 'h', 'i'});
            out.flush();

            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] reply = new byte[7];
            in.readFully(reply);
            assertThat(reply).containsExactly((byte) 0xCA, (byte) 0xFE, 2, 0, 2, 'H', 'I');

            out.write(new byte[] {(byte) 0x12, (byte) 0x34}); // the IM magic is a bad magic here
            out.flush();
            assertThat(in.read()).as("closed after two bad bytes").isEqualTo(-1);
        }
    }

    @Test
    void theTinySerializerRefusesPacketsItCannotBuild() {
        Server server = Switchboard.server(c -> c.scan("dev.switchboard.framework.fixtures.broken.nottext")
                .wireFormat(new TinyWireFormat()).serializers(new TextSerializer()).shutdownHook(false));
        assertThatThrownBy(server::start).isInstanceOf(InvalidProtocolException.class)
                .hasMessageContaining("packet Pair (command 1) is not a record with one String component");
        server.close();
    }

    @Test
    void aBodyTooLongForTheHeaderIsNotSent() throws Exception {
        try (Server server = tinyServer();
                Client client = Switchboard.client(c -> c.scan(TINY).wireFormat(new TinyWireFormat())
                        .serializers(new TextSerializer()).port(server.port()).ioThreads(1)
                        .businessExecutor(1, 10).noReconnect().requestTimeout(Duration.ofSeconds(5))).connect()) {
            assertThatThrownBy(() -> client.request(new Shout("x".repeat(70_000)), Heard.class)
                    .get(5, TimeUnit.SECONDS)).hasMessageContaining("exceeds 65535");
            assertThat(client.request(new Shout("ok"), Heard.class).get(5, TimeUnit.SECONDS))
                    .isEqualTo(new Heard("OK"));
        }
    }
}
