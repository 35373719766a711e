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
import dev.switchboard.im.server.WebSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Bytes from a browser's side through the IM server's web listener (HTTP, the origin check, the static files, the
 * WebSocket handshake and framing, then the same protocol pipeline, handlers and in-memory store as the chat port),
 * on a fresh connection each time. Whatever arrives, no exception reaches the end of the pipeline, nothing is
 * logged at WARN or above or with a stack trace, a connection logs at most two INFO lines, and after a handshake
 * everything the server writes is WebSocket frames a browser accepts: unmasked, binary messages that each hold
 * whole frames a client can decode, close frames with a code from the protocol's list. Leaks fail the class through
 * the leak detector.
 *
 * <p>Input: the first byte chooses, the rest is played.
 * <pre>
 * bits 0-1  0: the rest is raw HTTP          1: a handshake, then the rest as raw WebSocket bytes
 *           2, 3: a handshake, then the rest as a {@link FrameScript}, each write one masked binary message
 * bits 2-3  the handshake's Origin: 0 an allowed one, 1 none (a program), 2 another site (refused), 3 the page's own
 * bit 4     log in (version 2) right after the handshake
 * bit 5     send each scripted message as two fragments
 * </pre>
 */
class WebListenerFuzzTest {

    static final int RAW_HTTP = 0;
    static final int RAW_WEBSOCKET = 1;
    static final int SCRIPTED = 2;
    static final int ORIGIN_NONE = 1 << 2;
    static final int ORIGIN_ELSEWHERE = 2 << 2;
    static final int ORIGIN_OWN = 3 << 2;
    static final int LOGIN = 1 << 4;
    static final int FRAGMENTS = 1 << 5;

    static final String HOST = "chat.example.com:8080";
    static final String ALLOWED_ORIGIN = "https://app.example.com";

    /**
     * Close codes the server sends for its own reasons: normal, going away, protocol error, text, policy (auth), too
     * big. Answering a peer's close, it echoes the peer's code (RFC 6455, 5.5.1), as a browser expects.
     */
    private static final Set<Integer> CLOSE_CODES = Set.of(1000, 1001, 1002, 1003, 1008, 1009);

    private static final SourceAddresses addresses = new SourceAddresses();
    private static QuietLog log;
    private static RecycledServer servers;
    private static int users;

    @BeforeAll
    static void capture() {
        log = new QuietLog();
        servers = new RecycledServer(ImServerSettings.forTests()
                .withWeb(new WebSettings(0, List.of(ALLOWED_ORIGIN))));
    }

    @AfterAll
    static void stop() {
        log.close();
        servers.close();
    }

    @FuzzTest
    void browserSide(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int choice = input[0] & 0xFF;
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        EmbeddedPipeline server = servers.next();
        EmbeddedChannel channel = server.connectWebSocket(addresses.next());
        Browser browser = new Browser(server.codec(), (choice & FRAGMENTS) != 0);
        try {
            log.clear();
            int mode = choice & 0x03;
            if (mode == RAW_HTTP) {
                write(channel, Unpooled.wrappedBuffer(rest));
                server.settle(channel);
                channel.checkException();
                drain(channel); // HTTP answers, or frames after a handshake the input made itself: not checked here
            } else if (handshake(server, channel, choice & 0x0C)) {
                if ((choice & LOGIN) != 0) {
                    login(server, channel, browser);
                }
                play(server, channel, browser, mode == RAW_WEBSOCKET, rest);
                channel.checkException();
                browser.read(outbound(channel));
            }
            log.assertQuiet();
        } finally {
            channel.finishAndReleaseAll();
            server.settle(channel);
            browser.close();
            log.clear();
        }
    }

    /** Writes the handshake; returns whether it was accepted (as it must be for every origin but another site's). */
    private static boolean handshake(EmbeddedPipeline server, EmbeddedChannel channel, int origin) {
        write(channel, Unpooled.copiedBuffer(handshakeRequest(origin), StandardCharsets.US_ASCII));
        server.settle(channel);
        channel.checkException();
        String answer = new String(bytes(outbound(channel)), StandardCharsets.US_ASCII);
        if (origin == ORIGIN_ELSEWHERE) {
            assertThat(answer).as("a handshake from another site").startsWith("HTTP/1.1 403 ");
            assertThat(channel.isOpen()).isFalse();
            return false;
        }
        assertThat(answer).as("a handshake from an allowed origin").startsWith("HTTP/1.1 101 ");
        assertThat(channel.isOpen()).isTrue();
        return true;
    }

    static String handshakeRequest(int origin) {
        String originHeader = switch (origin) {
            case ORIGIN_NONE -> "";
            case ORIGIN_ELSEWHERE -> "Origin: https://elsewhere.example\r\n";
            case ORIGIN_OWN -> "Origin: http://" + HOST + "\r\n";
            default -> "Origin: " + ALLOWED_ORIGIN + "\r\n";
        };
        return "GET " + WebSettings.SOCKET_PATH + " HTTP/1.1\r\nHost: " + HOST + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + originHeader + "\r\n";
    }

    private static void login(EmbeddedPipeline server, EmbeddedChannel channel, Browser browser) {
        WireCodec codec = server.codec();
        write(channel, browser.binary(codec.encode(new LoginRequest("fuzzer" + users++, "pw", null, null), 2, 1)));
        server.settle(channel);
        List<WireCodec.Received> replies = browser.read(outbound(channel));
        assertThat(replies).singleElement().satisfies(reply -> assertThat(reply.packet())
                .isInstanceOfSatisfying(LoginResponse.class,
                        response -> assertThat(response.success()).as(response.reason()).isTrue()));
    }

    private static void play(EmbeddedPipeline server, EmbeddedChannel channel, Browser browser, boolean raw,
            byte[] rest) {
        if (raw) {
            browser.sent(rest);
            write(channel, Unpooled.wrappedBuffer(rest));
            server.settle(channel);
            return;
        }
        FrameScript.play(rest, new FrameScript.Player() {
            @Override
            public void write(ByteBuf bytes) {
                WebListenerFuzzTest.write(channel, browser.binary(bytes));
            }

            @Override
            public void settle() {
                server.settle(channel);
            }
        });
        server.settle(channel);
    }

    /** Writes to the server if the connection is still open; releases the bytes either way. */
    private static void write(EmbeddedChannel channel, ByteBuf bytes) {
        if (channel.isOpen()) {
            channel.writeInbound(bytes);
        } else {
            bytes.release();
        }
    }

    /** What the server wrote so far, in order. */
    private static List<ByteBuf> outbound(EmbeddedChannel channel) {
        channel.runPendingTasks();
        List<ByteBuf> all = new ArrayList<>();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            all.add((ByteBuf) out);
        }
        return all;
    }

    private static void drain(EmbeddedChannel channel) {
        outbound(channel).forEach(ByteBuf::release);
    }

    /** The buffers' bytes, the buffers released. */
    private static byte[] bytes(List<ByteBuf> buffers) {
        ByteBuf all = Unpooled.buffer();
        try {
            buffers.forEach(buffer -> {
                all.writeBytes(buffer);
                buffer.release();
            });
            byte[] bytes = new byte[all.readableBytes()];
            all.readBytes(bytes);
            return bytes;
        } finally {
            all.release();
        }
    }

    /**
     * The browser's WebSocket codec: masks what it sends, as a browser must, and reads the server's frames as a
     * browser does (unmasked, no extensions), failing on anything a browser would reject.
     */
    private static final class Browser implements AutoCloseable {

        private final WireCodec codec;
        private final boolean fragments;
        private final EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
        private final EmbeddedChannel decoder = new EmbeddedChannel(new WebSocket13FrameDecoder(
                WebSocketDecoderConfig.newBuilder().expectMaskedFrames(false).allowMaskMismatch(false)
                        .allowExtensions(false).maxFramePayloadLength(16 << 20).closeOnProtocolViolation(false)
                        .build()));
        /** Reads what the input sends as the server's codec does, to learn the codes of its close frames. */
        private final EmbeddedChannel peer = new EmbeddedChannel(new WebSocket13FrameDecoder(
                WebSocketDecoderConfig.newBuilder().expectMaskedFrames(true).allowMaskMismatch(false)
                        .allowExtensions(false).maxFramePayloadLength(16 << 20).closeOnProtocolViolation(false)
                        .build()));
        private final Set<Integer> peerCloseCodes = new HashSet<>();
        private ByteBuf message; // a fragmented message from the server being assembled, or null
        private boolean closed;

        Browser(WireCodec codec, boolean fragments) {
            this.codec = codec;
            this.fragments = fragments;
        }

        /** {@code payload} as one masked binary message (or two fragments), encoded; takes the payload. */
        ByteBuf binary(ByteBuf payload) {
            if (fragments && payload.readableBytes() > 1) {
                int half = payload.readableBytes() / 2;
                encoder.writeOutbound(new BinaryWebSocketFrame(false, 0, payload.readRetainedSlice(half)),
                        new ContinuationWebSocketFrame(true, 0, payload));
            } else {
                encoder.writeOutbound(new BinaryWebSocketFrame(payload));
            }
            return Unpooled.wrappedBuffer(outbound(encoder).toArray(ByteBuf[]::new)); // takes the parts
        }

        /** Notes the close codes among raw bytes the input sends (whatever the server makes of them). */
        void sent(byte[] raw) {
            try {
                peer.writeInbound(Unpooled.copiedBuffer(raw));
                peer.checkException();
            } catch (RuntimeException corrupt) {
                // the server's decoder refuses it too: a protocol error, answered with 1002
            }
            for (Object in; (in = peer.readInbound()) != null; ) {
                if (in instanceof CloseWebSocketFrame close) {
                    peerCloseCodes.add(close.statusCode());
                }
                ReferenceCountUtil.release(in);
            }
        }

        /** Reads the server's frames; returns the protocol frames of its binary messages. */
        List<WireCodec.Received> read(List<ByteBuf> written) {
            List<WireCodec.Received> received = new ArrayList<>();
            for (ByteBuf bytes : written) {
                decoder.writeInbound(bytes);
                decoder.checkException();
                for (Object in; (in = decoder.readInbound()) != null; ) {
                    WebSocketFrame frame = (WebSocketFrame) in;
                    try {
                        accept(frame, received);
                    } finally {
                        frame.release();
                    }
                }
            }
            return received;
        }

        private void accept(WebSocketFrame frame, List<WireCodec.Received> received) {
            assertThat(closed).as("a frame after the server's close frame: %s", frame).isFalse();
            if (frame instanceof CloseWebSocketFrame close) {
                assertThat(close.statusCode()).as("close code (%s); the input's were %s", close.reasonText(),
                        peerCloseCodes).matches(code -> CLOSE_CODES.contains(code) || peerCloseCodes.contains(code));
                closed = true;
            } else if (frame instanceof PongWebSocketFrame) {
                return; // the answer to a ping of the input's, allowed anywhere, even inside a message
            } else if (frame instanceof BinaryWebSocketFrame binary) {
                assertThat(message).as("a new message inside a fragmented one").isNull();
                message = Unpooled.buffer().writeBytes(binary.content());
                endOfMessage(binary, received);
            } else if (frame instanceof ContinuationWebSocketFrame continuation) {
                assertThat(message).as("a continuation outside a message").isNotNull();
                message.writeBytes(continuation.content());
                endOfMessage(continuation, received);
            } else {
                throw new AssertionError("the server sent " + frame);
            }
        }

        private void endOfMessage(WebSocketFrame frame, List<WireCodec.Received> received) {
            if (!frame.isFinalFragment()) {
                return;
            }
            ByteBuf whole = message;
            message = null;
            for (WireCodec.Received one : codec.decodeAll(whole)) {
                if (one.header().version() == ProtocolVersion.V1) {
                    assertThat(one.header().command()).as("a command in version 1: %s", one.packet())
                            .isLessThanOrEqualTo(ProtocolVersion.V1_MAX_COMMAND);
                }
                received.add(one);
            }
        }

        @Override
        public void close() {
            if (message != null) {
                message.release();
            }
            encoder.finishAndReleaseAll();
            decoder.finishAndReleaseAll();
            peer.finishAndReleaseAll();
        }
    }
}
