package dev.switchboard.im.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.framework.EmbeddedPipeline;
import dev.switchboard.framework.testing.FrameScript;
import dev.switchboard.framework.testing.WireCodec;
import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.LoginResponse;
import dev.switchboard.im.protocol.ProtocolVersion;
import dev.switchboard.im.server.ImServerSettings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Scripts of frames ({@link FrameScript}: any version, serializer, command and body, and raw bytes) through the
 * IM's whole server pipeline, handlers and in-memory store, on a fresh connection each time, anonymous or logged
 * in. Whatever the script, no exception reaches the end of the pipeline, nothing is logged at WARN or above or
 * with a stack trace, a connection logs at most two INFO lines (one unanswered failure, one close), and every
 * frame the server writes is one a client can decode (a known command, a body within the limits), with no command
 * above 18 in version 1. Leaks fail the class through the leak detector, as everywhere.
 */
class ImPipelineFuzzTest {

    private static final SourceAddresses addresses = new SourceAddresses();
    private static QuietLog log;
    private static RecycledServer servers;
    private static int users;

    @BeforeAll
    static void capture() {
        log = new QuietLog();
        servers = new RecycledServer(ImServerSettings.forTests());
    }

    @AfterAll
    static void stop() {
        log.close();
        servers.close();
    }

    @FuzzTest
    void anonymous(byte[] script) {
        run(script, false);
    }

    @FuzzTest
    void afterLogin(byte[] script) {
        run(script, true);
    }

    private static void run(byte[] script, boolean login) {
        EmbeddedPipeline server = servers.next();
        WireCodec codec = server.codec();
        EmbeddedChannel channel = server.connect(addresses.next());
        try {
            if (login) {
                String name = "fuzzer" + users++;
                channel.writeInbound(codec.encode(LoginRequest.withPassword(name, "pw"), 2, 1));
                server.settle(channel);
                assertThat(written(channel, codec)).singleElement().satisfies(reply ->
                        assertThat(reply.packet()).isInstanceOfSatisfying(LoginResponse.class,
                                response -> assertThat(response.success()).as(response.reason()).isTrue()));
            }
            log.clear();
            FrameScript.play(script, new FrameScript.Player() {
                @Override
                public void write(ByteBuf bytes) {
                    if (channel.isOpen()) {
                        channel.writeInbound(bytes);
                    } else {
                        bytes.release();
                    }
                }

                @Override
                public void settle() {
                    server.settle(channel);
                }
            });
            channel.checkException();
            for (WireCodec.Received frame : written(channel, codec)) {
                if (frame.header().version() == ProtocolVersion.V1) {
                    assertThat(frame.header().command()).as("a command in version 1: %s", frame.packet())
                            .matches(code -> code <= ProtocolVersion.V1_MAX_COMMAND);
                }
            }
            log.assertQuiet();
        } finally {
            channel.finishAndReleaseAll();
            server.settle(channel);
            log.clear();
        }
    }

    /** Everything the server wrote so far, decoded as a client decodes it (which fails on a bad frame). */
    private static List<WireCodec.Received> written(EmbeddedChannel channel, WireCodec codec) {
        channel.runPendingTasks();
        List<WireCodec.Received> frames = new ArrayList<>();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            frames.addAll(codec.decodeAll((ByteBuf) out));
        }
        return frames;
    }
}
