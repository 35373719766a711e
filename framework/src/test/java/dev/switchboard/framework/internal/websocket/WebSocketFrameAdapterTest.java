package dev.switchboard.framework.internal.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.framework.internal.codec.CloseReason;
import dev.switchboard.framework.internal.codec.Frame;
import dev.switchboard.framework.wire.DefaultWireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Binary WebSocket messages to frames and back, and the close code for each kind of bad input. */
class WebSocketFrameAdapterTest {

    private static final int MAX_BODY = 64;
    private static final int HEADER = 11;

    private final EmbeddedChannel channel = new EmbeddedChannel(
            new WebSocketFrameAdapter(new DefaultWireFormat(), MAX_BODY, null));
    private final Logger logger = (Logger) LoggerFactory.getLogger(WebSocketFrameAdapter.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        logger.setLevel(null);
        channel.finishAndReleaseAll();
    }

    /** One frame of the default wire format: version 1, JSON, this command and body. */
    private static byte[] frame(int command, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(HEADER + bytes.length).putInt(0x12345678).put((byte) 1).put((byte) 1)
                .put((byte) command).putInt(bytes.length).put(bytes).array();
    }

    private static BinaryWebSocketFrame binary(byte[] bytes) {
        return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes));
    }

    private List<Frame> framesRead() {
        List<Frame> frames = new ArrayList<>();
        for (Object in; (in = channel.readInbound()) != null; ) {
            frames.add((Frame) in);
        }
        return frames;
    }

    private static String body(Frame frame) {
        try {
            return frame.content().toString(StandardCharsets.UTF_8);
        } finally {
            frame.release();
        }
    }

    /** What a close frame said. */
    private record Closed(int statusCode, String reasonText) {}

    /** The close frame written (released); the channel must be closed too. */
    private Closed closeWritten() {
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close).as("a close frame").isNotNull();
        try {
            return new Closed(close.statusCode(), close.reasonText());
        } finally {
            close.release();
            assertThat(channel.isOpen()).as("closed after the close frame").isFalse();
        }
    }

    private long infoLines() {
        return lines.list.stream().filter(line -> line.getLevel().isGreaterOrEqual(Level.INFO)).count();
    }

    @Test
    void aBinaryMessageIsOneFrame() {
        channel.writeInbound(binary(frame(5, "{\"text\":\"hi\"}")));

        List<Frame> frames = framesRead();
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).header().command()).isEqualTo(5);
        assertThat(frames.get(0).header().version()).isEqualTo(1);
        assertThat(body(frames.get(0))).isEqualTo("{\"text\":\"hi\"}");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void anEmptyBodyAndTheLargestBodyAreFrames() {
        channel.writeInbound(binary(frame(3, "")));
        channel.writeInbound(binary(frame(3, "x".repeat(MAX_BODY))));

        List<Frame> frames = framesRead();
        assertThat(frames).hasSize(2);
        assertThat(body(frames.get(0))).isEmpty();
        assertThat(body(frames.get(1))).hasSize(MAX_BODY);
    }

    @Test
    void fragmentsMakeOneMessage() {
        byte[] whole = frame(5, "{\"text\":\"in three parts\"}");
        channel.writeInbound(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(whole, 0, 4)));
        channel.writeInbound(new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(whole, 4, 10)));
        assertThat(framesRead()).isEmpty();
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0,
                Unpooled.wrappedBuffer(whole, 14, whole.length - 14)));

        List<Frame> frames = framesRead();
        assertThat(frames).hasSize(1);
        assertThat(body(frames.get(0))).isEqualTo("{\"text\":\"in three parts\"}");
    }

    @Test
    void aTextMessageClosesWith1003() {
        channel.writeInbound(new TextWebSocketFrame("{\"text\":\"hi\"}"));

        assertThat(closeWritten().statusCode()).isEqualTo(1003);
        assertThat(framesRead()).isEmpty();
        assertThat(CloseReason.of(channel)).isEqualTo(CloseReason.PROTOCOL_ERROR);
        assertThat(infoLines()).isEqualTo(1);
    }

    @Test
    void fragmentsBeyondOneFrameCloseWith1009BeforeTheExcessIsKept() {
        byte[] whole = frame(5, "x".repeat(MAX_BODY));
        channel.writeInbound(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(whole)));
        channel.writeInbound(new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[1])));

        Closed close = closeWritten();
        assertThat(close.statusCode()).isEqualTo(1009);
        assertThat(close.reasonText()).contains("over the limit of " + (HEADER + MAX_BODY));
        assertThat(framesRead()).isEmpty();
    }

    @Test
    void aSingleMessageBeyondOneFrameClosesWith1009() {
        // The WebSocket codec refuses such a frame first (same limit); the adapter holds the line on its own too.
        channel.writeInbound(new BinaryWebSocketFrame(false, 0,
                Unpooled.wrappedBuffer(new byte[HEADER + MAX_BODY + 1])));

        assertThat(closeWritten().statusCode()).isEqualTo(1009);
    }

    @Test
    void garbageClosesWith1002() {
        channel.writeInbound(binary("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));

        Closed close = closeWritten();
        assertThat(close.statusCode()).isEqualTo(1002);
        assertThat(close.reasonText()).contains("magic");
        assertThat(infoLines()).isEqualTo(1);
    }

    @Test
    void lessThanOneFrameClosesWith1002() {
        byte[] whole = frame(5, "{\"text\":\"hi\"}");
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 1);
        channel.writeInbound(binary(cut));

        Closed close = closeWritten();
        assertThat(close.statusCode()).isEqualTo(1002);
        assertThat(close.reasonText()).contains("one frame per message");
    }

    @Test
    void lessThanAHeaderClosesWith1002() {
        channel.writeInbound(binary(new byte[] {0x12, 0x34, 0x56, 0x78, 1}));

        assertThat(closeWritten().statusCode()).isEqualTo(1002);
    }

    @Test
    void twoFramesInOneMessageCloseWith1002AndNeitherIsPassedOn() {
        byte[] one = frame(5, "{}");
        byte[] two = ByteBuffer.allocate(2 * one.length).put(one).put(one).array();
        channel.writeInbound(binary(two));

        assertThat(closeWritten().statusCode()).isEqualTo(1002);
        assertThat(framesRead()).isEmpty();
    }

    @Test
    void aDeclaredBodyOverTheLimitClosesWith1002() {
        byte[] header = ByteBuffer.allocate(HEADER).putInt(0x12345678).put((byte) 1).put((byte) 1).put((byte) 5)
                .putInt(MAX_BODY + 1).array();
        channel.writeInbound(binary(header));

        assertThat(closeWritten().reasonText()).contains("outside 0.." + MAX_BODY);
    }

    @Test
    void aContinuationWithoutAMessageClosesWith1002() {
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[3])));

        assertThat(closeWritten().statusCode()).isEqualTo(1002);
    }

    @Test
    void whatArrivesAfterARefusalIsReleasedUnreadAndLoggedNoMore() {
        BinaryWebSocketFrame late = binary(frame(5, "{}"));
        channel.writeInbound(new TextWebSocketFrame("no"), late); // as one read would bring them
        closeWritten();

        assertThat(late.refCnt()).isZero();
        assertThat(framesRead()).isEmpty();
        assertThat(infoLines()).isEqualTo(1);
    }

    @Test
    void theCodecsViolationsAreLoggedInOneLineAndGoNoFurther() {
        channel.pipeline().fireExceptionCaught(new CorruptedWebSocketFrameException(
                WebSocketCloseStatus.MESSAGE_TOO_BIG, "Max frame length of 75 has been exceeded."));

        assertThat(channel.isOpen()).isFalse();
        assertThat(infoLines()).isEqualTo(1);
        assertThat(lines.list.get(0).getFormattedMessage()).contains("WebSocket 1009");
        assertThat(CloseReason.of(channel)).isEqualTo(CloseReason.PROTOCOL_ERROR);
        channel.checkException(); // nothing reached the end of the pipeline
        assertThat(channel.<Object>readOutbound()).as("the codec sent the close frame, not the adapter").isNull();
    }

    @Test
    void eachEncodedFrameGoesOutAsOneBinaryMessage() {
        ByteBuf encoded = Unpooled.wrappedBuffer(frame(6, "{\"text\":\"back\"}"));
        channel.writeOutbound(encoded);

        BinaryWebSocketFrame out = channel.readOutbound();
        try {
            assertThat(out.isFinalFragment()).isTrue();
            assertThat(out.content()).isSameAs(encoded);
        } finally {
            out.release();
        }
    }

    @Test
    void emptyBuffersPassAsTheyAre() {
        channel.writeOutbound(Unpooled.EMPTY_BUFFER);

        assertThat(channel.<Object>readOutbound()).isSameAs(Unpooled.EMPTY_BUFFER);
    }

    @Test
    void aCloseByTheServerSendsTheCodeOfItsReason() {
        CloseReason.mark(channel, CloseReason.SERVER_SHUTDOWN);
        channel.close();

        assertThat(closeWritten().statusCode()).isEqualTo(1001);
        assertThat(lines.list).isEmpty();
    }

    @Test
    void eachReasonHasItsCode() {
        assertThat(WebSocketFrameAdapter.statusFor(CloseReason.IDLE).code()).isEqualTo(1000);
        assertThat(WebSocketFrameAdapter.statusFor(CloseReason.APPLICATION).code()).isEqualTo(1000);
        assertThat(WebSocketFrameAdapter.statusFor(CloseReason.AUTH_TIMEOUT).code()).isEqualTo(1008);
        assertThat(WebSocketFrameAdapter.statusFor(CloseReason.ERROR).code()).isEqualTo(1011);
        assertThat(WebSocketFrameAdapter.statusFor(CloseReason.SERVER_SHUTDOWN).code()).isEqualTo(1001);
    }

    @Test
    void aCloseFrameAlreadySentIsNotSentTwice() {
        channel.writeOutbound(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
        channel.close();

        CloseWebSocketFrame first = channel.readOutbound();
        first.release();
        assertThat(channel.<Object>readOutbound()).isNull();
    }

    @Test
    void aMessageHalfAssembledWhenTheConnectionClosesIsReleased() {
        ByteBuf part = Unpooled.wrappedBuffer(frame(5, "{}"), 0, 5);
        channel.writeInbound(new BinaryWebSocketFrame(false, 0, part));
        channel.close();

        assertThat(part.refCnt()).isZero();
        CloseWebSocketFrame close = channel.readOutbound();
        close.release();
    }
}
