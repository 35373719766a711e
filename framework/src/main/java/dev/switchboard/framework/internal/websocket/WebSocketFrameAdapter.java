package dev.switchboard.framework.internal.websocket;

import dev.switchboard.framework.internal.codec.ChannelLog;
import dev.switchboard.framework.internal.codec.CloseReason;
import dev.switchboard.framework.internal.codec.Frame;
import dev.switchboard.framework.internal.codec.FrameCounter;
import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.framework.wire.ProtocolViolation;
import dev.switchboard.framework.wire.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket connection's frame decoder, in the {@code FRAME_DECODER} place of the pipeline: each binary
 * WebSocket message (one frame, or a first frame and its continuations) must hold exactly one protocol frame, which
 * it passes on as a {@link Frame}, exactly as the TCP {@code FrameDecoder} does, so everything after it is the same.
 * On the way out, every non-empty {@code ByteBuf} (one encoded packet, or a shared frame's duplicate) becomes one
 * {@link BinaryWebSocketFrame}; empty buffers (flush and close markers) pass as they are.
 *
 * <pre>
 *   binary message:  | header (the wire format's) | body (header's length) |   → Frame
 *   anything else:   text → close 1003; over one maximum frame → close 1009;
 *                    not exactly one frame, bad header, bad WebSocket framing → close 1002
 * </pre>
 *
 * Closing: a close frame with the code and a short reason, one line through {@link ChannelLog#report} (the
 * connection's one INFO line), {@link CloseReason#PROTOCOL_ERROR}, then the channel closes; whatever arrives after
 * is released unread. A close the server starts for another reason (idle, auth timeout, drain, the application)
 * first sends a close frame with a code for that reason. The WebSocket codec's own violations (an unmasked frame,
 * a single frame over the limit) arrive as {@link CorruptedWebSocketFrameException}s after the codec sent its close
 * frame; this handler logs them the same way, so nothing reaches the error logger's WARN.
 *
 * <p>A fragmented message is copied into one buffer as it arrives, its length checked before each fragment is
 * added, so a peer never makes the server hold more than one maximum message. Stateful: one per channel; event loop
 * only.
 */
public final class WebSocketFrameAdapter extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(WebSocketFrameAdapter.class);

    private final WireFormat format;
    private final int maxBodyLength;
    private final int maxMessageLength;
    private final FrameCounter counter; // null: not counted
    private ByteBuf fragments; // a binary message being assembled from continuations, or null
    private boolean closing; // we refused the peer: the rest is discarded
    private boolean closeFrameSent;

    /** @param counter this channel's, told of every whole frame received; or null */
    public WebSocketFrameAdapter(WireFormat format, int maxBodyLength, FrameCounter counter) {
        if (maxBodyLength < 0) {
            throw new IllegalArgumentException("maxBodyLength < 0: " + maxBodyLength);
        }
        this.format = format;
        this.maxBodyLength = maxBodyLength;
        this.maxMessageLength = maxMessageLength(format, maxBodyLength);
        this.counter = counter;
    }

    /** The longest message: one frame's header and the largest body (at most {@link Integer#MAX_VALUE}). */
    public static int maxMessageLength(WireFormat format, int maxBodyLength) {
        return (int) Math.min(Integer.MAX_VALUE, (long) format.headerLength() + maxBodyLength);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            read(ctx, msg);
        } finally {
            if (counter != null) {
                counter.publish(); // as the TCP decoder does: before the replies of this read are flushed
            }
        }
    }

    private void read(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (closing || !ctx.channel().isActive()) {
                return; // refused already, or closed by anyone: nothing more reaches the handlers
            }
            if (frame instanceof TextWebSocketFrame) {
                refuse(ctx, WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "text message; frames go in binary messages");
            } else if (frame instanceof BinaryWebSocketFrame) {
                if (fragments != null) {
                    refuse(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, "new message inside a fragmented one");
                } else if (frame.isFinalFragment()) {
                    decode(ctx, frame.content());
                } else {
                    begin(ctx, frame.content());
                }
            } else if (frame instanceof ContinuationWebSocketFrame) {
                continueMessage(ctx, frame);
            }
            // Ping, pong and close frames are answered by the WebSocket protocol handler before this one.
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    private void begin(ChannelHandlerContext ctx, ByteBuf first) {
        if (first.readableBytes() > maxMessageLength) { // the codec's frame limit is the same: defensive
            refuse(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, tooBig(first.readableBytes()));
            return;
        }
        fragments = ctx.alloc().buffer(Math.min(Math.max(first.readableBytes(), 256), maxMessageLength),
                maxMessageLength);
        fragments.writeBytes(first);
    }

    private void continueMessage(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (fragments == null) {
            refuse(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, "continuation without a message");
            return;
        }
        ByteBuf more = frame.content();
        long length = (long) fragments.readableBytes() + more.readableBytes();
        if (length > maxMessageLength) {
            refuse(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, tooBig(length));
            return;
        }
        fragments.writeBytes(more);
        if (frame.isFinalFragment()) {
            ByteBuf message = fragments;
            fragments = null;
            try {
                decode(ctx, message);
            } finally {
                message.release();
            }
        }
    }

    private String tooBig(long length) {
        return "message of " + length + "+ bytes over the limit of " + maxMessageLength;
    }

    /** One whole binary message: exactly one frame, or a refusal. Does not release {@code message}. */
    private void decode(ChannelHandlerContext ctx, ByteBuf message) {
        FrameHeader header;
        try {
            header = format.readHeader(message);
        } catch (ProtocolViolation e) {
            refuse(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, e.getMessage());
            return;
        }
        int headerLength = format.headerLength();
        if (header == null) {
            refuse(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, "message of " + message.readableBytes()
                    + " bytes is shorter than a frame header");
            return;
        }
        int length = header.bodyLength();
        if (length < 0 || length > maxBodyLength) {
            refuse(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, "body length " + length + " outside 0.." + maxBodyLength);
            return;
        }
        if (message.readableBytes() != (long) headerLength + length) {
            refuse(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, "message of " + message.readableBytes()
                    + " bytes holds a frame of " + ((long) headerLength + length) + ": one frame per message");
            return;
        }
        message.skipBytes(headerLength);
        if (counter != null) {
            counter.frameReceived(header.command());
        }
        ctx.fireChannelRead(new Frame(header, message.readRetainedSlice(length)));
    }

    private void refuse(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
        closing = true;
        releaseFragments();
        ChannelLog.report(log, ctx.channel(), "[{}] closing: WebSocket {}: {}", ctx.channel().id().asShortText(),
                status.code(), reason);
        CloseReason.mark(ctx.channel(), CloseReason.PROTOCOL_ERROR);
        sendClose(ctx, status, reason);
        ctx.close();
    }

    private void sendClose(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
        if (closeFrameSent || !ctx.channel().isActive()) {
            return;
        }
        closeFrameSent = true;
        // A close frame's reason is at most 123 bytes of UTF-8: at most 120 characters, ASCII only.
        StringBuilder text = new StringBuilder(Math.min(reason.length(), 120));
        for (int i = 0; i < reason.length() && text.length() < 120; i++) {
            char c = reason.charAt(i);
            text.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        ctx.writeAndFlush(new CloseWebSocketFrame(status, text.toString()));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            ctx.write(new BinaryWebSocketFrame(bytes), promise);
            return;
        }
        if (msg instanceof CloseWebSocketFrame) {
            closeFrameSent = true; // ours, or the protocol handler answering the peer's close
        }
        ctx.write(msg, promise);
    }

    /** A close the server starts says why, in a close frame, before the connection goes. */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (!closeFrameSent && ctx.channel().isActive()) {
            sendClose(ctx, statusFor(CloseReason.of(ctx.channel())), "");
        }
        ctx.close(promise);
    }

    /** The close code of a close the server started (a refusal of bad input has its own). */
    static WebSocketCloseStatus statusFor(CloseReason reason) {
        return switch (reason) {
            case SERVER_SHUTDOWN -> WebSocketCloseStatus.ENDPOINT_UNAVAILABLE; // 1001 going away
            case AUTH_TIMEOUT, SLOW_CONSUMER -> WebSocketCloseStatus.POLICY_VIOLATION;
            case PROTOCOL_ERROR -> WebSocketCloseStatus.PROTOCOL_ERROR;
            case ERROR -> WebSocketCloseStatus.INTERNAL_SERVER_ERROR;
            default -> WebSocketCloseStatus.NORMAL_CLOSURE; // idle, the application's close, and the rest
        };
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException bad) {
            // The codec sent its close frame (1002, or 1009 for a frame over the limit) and closes the channel.
            closing = true;
            releaseFragments();
            closeFrameSent = true;
            ChannelLog.report(log, ctx.channel(), "[{}] closing: WebSocket {}: {}", ctx.channel().id().asShortText(),
                    bad.closeStatus().code(), bad.getMessage());
            CloseReason.mark(ctx.channel(), CloseReason.PROTOCOL_ERROR);
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseFragments();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseFragments();
        super.channelInactive(ctx);
    }

    private void releaseFragments() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }
}
