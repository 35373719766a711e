package dev.switchboard.framework.internal.transport;

import dev.switchboard.framework.internal.codec.CloseReason;
import dev.switchboard.framework.internal.codec.ChannelLog;
import dev.switchboard.framework.internal.metrics.ServerMetrics;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The last handler: logs an exception that reached the end of the pipeline once and closes the connection, and
 * releases any message nobody consumed. I/O errors (a peer resetting) are routine and logged at DEBUG. A TLS
 * failure (a plaintext or garbage-sending peer, a failed or timed-out handshake, a bad record) is logged in one
 * short INFO line without a stack trace, and anything after it on the same connection at DEBUG: a peer that does not
 * speak TLS costs one line. (SslHandler raises most of them as exceptions, but closes a timed-out handshake itself
 * and only says so in an event.) Stateless and {@link Sharable}.
 */
@Sharable
public final class ErrorLogger extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ErrorLogger.class);
    /** Netty's message for a record that is not TLS carries a hex dump of the bytes: keep the line short. */
    private static final int MAX_REASON_LENGTH = 160;

    private final ServerMetrics metrics; // null: no registry

    public ErrorLogger() {
        this(null);
    }

    /** @param metrics where unexpected exceptions are counted, or null */
    public ErrorLogger(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String id = ctx.channel().id().asShortText();
        SSLException tls = tlsFailure(cause);
        if (tls != null) {
            logTlsFailure(ctx, tls);
        } else if (cause instanceof IOException) {
            // a reset: the peer's doing, CloseReason.PEER
            ChannelLog.at(log, Level.DEBUG, ctx.channel()).log("[{}] closing: {}", id, cause.toString());
        } else {
            ChannelLog.at(log, Level.WARN, ctx.channel()).setCause(cause)
                    .log("[{}] closing after unexpected exception", id);
            CloseReason.mark(ctx.channel(), CloseReason.ERROR);
            if (metrics != null) {
                metrics.pipelineException();
            }
        }
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && done.cause() instanceof SslHandshakeTimeoutException t) {
            logTlsFailure(ctx, t);
        }
        ctx.fireUserEventTriggered(evt);
    }

    private static void logTlsFailure(ChannelHandlerContext ctx, SSLException tls) {
        CloseReason.mark(ctx.channel(), CloseReason.TLS);
        // Shares the connection's one INFO line with every other report about it (ChannelLog).
        ChannelLog.report(log, ctx.channel(), "[{}] closing: TLS failed: {}", ctx.channel().id().asShortText(),
                reason(tls));
    }

    /** The TLS error behind {@code cause} (SslHandler wraps what it raises while decoding), or null. */
    private static SSLException tlsFailure(Throwable cause) {
        Throwable inner = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        return inner instanceof SSLException ssl ? ssl : null;
    }

    private static String reason(SSLException tls) {
        if (tls instanceof NotSslRecordException) {
            return "not a TLS record (a plaintext client?)";
        }
        String message = String.valueOf(tls.getMessage());
        return message.length() <= MAX_REASON_LENGTH ? message : message.substring(0, MAX_REASON_LENGTH) + "...";
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        log.debug("[{}] dropping unhandled {}", ctx.channel().id().asShortText(), msg.getClass().getSimpleName());
        ReferenceCountUtil.release(msg);
    }
}
