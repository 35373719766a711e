package dev.switchboard.framework.internal.codec;

import dev.switchboard.framework.Failure;
import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.framework.wire.MalformedBody;
import dev.switchboard.framework.wire.Serializer;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Turns {@link Frame}s into {@link Inbound} packets. A frame that cannot become a packet (unknown command or
 * serializer, undecodable body) is passed on as {@link Inbound.Rejected} so that the application answers it and the
 * connection stays open: whatever a serializer throws, {@link StackOverflowError} included, becomes
 * {@link Failure.Kind#MALFORMED_BODY}. Stateless and {@link Sharable}.
 */
@Sharable
public final class PacketDecoder extends MessageToMessageDecoder<Frame> {

    private final CodecRegistry registry;

    public PacketDecoder(CodecRegistry registry) {
        super(Frame.class);
        this.registry = registry;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
        out.add(decode(frame));
    }

    /** Decodes one frame without releasing it. */
    public Inbound decode(Frame frame) {
        FrameHeader header = frame.header();
        PacketType type = registry.byCode(header.command());
        if (type == null) {
            return rejected(header, Failure.Kind.UNKNOWN_COMMAND, null, null);
        }
        Serializer serializer = registry.serializer(header.serializerId());
        if (serializer == null) {
            return rejected(header, Failure.Kind.UNKNOWN_SERIALIZER, type, null);
        }
        try {
            return new Inbound.Decoded(header, type, serializer.read(frame.content(), type.type()));
        } catch (RuntimeException e) {
            return rejected(header, Failure.Kind.MALFORMED_BODY, type, e);
        } catch (StackOverflowError e) {
            // A serializer that recursed once per level of a hostile body's nesting: the stack has unwound, the
            // connection is fine. (The built-in serializers bound nesting before they recurse.) The error's
            // thousand-frame stack trace is dropped so that nothing can log it per frame.
            return rejected(header, Failure.Kind.MALFORMED_BODY, type,
                    new MalformedBody(serializer + " overflowed the stack"));
        }
    }

    private static Inbound rejected(FrameHeader header, Failure.Kind kind, PacketType type, Throwable cause) {
        Class<?> packetType = type == null ? null : type.type();
        return new Inbound.Rejected(header, new Failure(kind, header.command(), packetType, null, cause));
    }
}
