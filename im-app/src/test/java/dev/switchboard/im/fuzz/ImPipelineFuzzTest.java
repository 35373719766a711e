package dev.switchboard.im.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * Scripts of frames ({@link FrameScript}: any version, serializer, command and body, and raw bytes) through the
 * IM's whole server pipeline, handlers and in-memory store, on a fresh connection each time, anonymous or logged
 * in. Whatever the script, no exception reaches the end of the pipeline, nothing is logged at WARN or above or
 * with a stack trace, a connection logs at most two INFO lines (one unanswered failure, one close), and every
 * frame the server writes is one a client can decode (a known command, a body within the limits), with no command
 * above 18 in version 1. Leaks fail the class through the leak detector, as everywhere.
 */
class ImPipelineFuzzTest {

    /** The store only grows; a fresh server now and then keeps a long fuzzing run's memory flat. */
    private static final int EXECUTIONS_PER_SERVER = 2_000;

    private static final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private static final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private static EmbeddedPipeline server;
    private static int executions;
    private static int users;
    private static int addresses;

    @BeforeAll
    static void capture() {
        log.start();
        root.addAppender(log);
    }

    @AfterAll
    static void stop() {
        root.detachAppender(log);
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private static EmbeddedPipeline server() {
        if (server == null || executions++ % EXECUTIONS_PER_SERVER == 0) {
            if (server != null) {
                server.close();
            }
            server = EmbeddedImServer.start(ImServerSettings.forTests());
        }
        return server;
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
        EmbeddedPipeline server = server();
        WireCodec codec = server.codec();
        // Each execution from an address of its own: a script's failed logins are throttled per source address
        // (LoginThrottle), and must not refuse the next execution's login (input failed_logins_lock_their_address).
        EmbeddedChannel channel = server.connect(nextAddress());
        try {
            if (login) {
                String name = "fuzzer" + users++;
                channel.writeInbound(codec.encode(LoginRequest.withPassword(name, "pw"), 2, 1));
                server.settle(channel);
                assertThat(written(channel, codec)).singleElement().satisfies(reply ->
                        assertThat(reply.packet()).isInstanceOfSatisfying(LoginResponse.class,
                                response -> assertThat(response.success()).as(response.reason()).isTrue()));
            }
            log.list.clear();
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
            checkLog();
        } finally {
            channel.finishAndReleaseAll();
            server.settle(channel);
            log.list.clear();
        }
    }

    /** 10.0.0.1, 10.0.0.2, ...: a fresh source address per execution (16 million before it repeats). */
    private static InetSocketAddress nextAddress() {
        int n = ++addresses;
        byte[] ip = {10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), 40_000);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always an address
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

    private static void checkLog() {
        List<ILoggingEvent> events = List.copyOf(log.list);
        assertThat(events).as("log lines with a stack trace").noneMatch(event -> event.getThrowableProxy() != null);
        assertThat(events).as("log lines at WARN or above")
                .noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
        assertThat(events).as("INFO lines for one connection").hasSizeLessThanOrEqualTo(2);
    }
}
