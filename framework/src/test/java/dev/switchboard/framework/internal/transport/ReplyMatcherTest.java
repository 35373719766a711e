package dev.switchboard.framework.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.Failure;
import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.framework.RequestFailedException;
import dev.switchboard.framework.internal.codec.Inbound;
import dev.switchboard.framework.internal.codec.PacketType;
import dev.switchboard.framework.fixtures.echo.Packets.Echoed;
import dev.switchboard.framework.fixtures.echo.Packets.Oops;
import dev.switchboard.framework.fixtures.echo.Packets.Pong;
import dev.switchboard.framework.fixtures.echo.Packets.Push;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's reply matcher between a fake packet decoder (the test) and a recording stand-in for the handlers. */
class ReplyMatcherTest {

    private static final PacketType PONG = new PacketType(4, Pong.class, false);
    private static final PacketType ECHOED = new PacketType(6, Echoed.class, false);
    private static final PacketType OOPS = new PacketType(10, Oops.class, false);
    private static final PacketType PUSH = new PacketType(11, Push.class, false);

    private final PendingReplies pending = new PendingReplies();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ChannelConnection connection = ChannelConnection.attach(channel, null, 1, 1);
    private final List<Object> handlers = new ArrayList<>();

    @BeforeEach
    void start() {
        channel.pipeline().addLast(PipelineNames.REPLIES, new ReplyMatcher(pending));
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                handlers.add(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                handlers.add("inactive");
            }
        });
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static Inbound.Decoded decoded(PacketType type, Object packet, int version, int serializer) {
        return new Inbound.Decoded(new FrameHeader(version, serializer, type.code(), 9), type, packet);
    }

    /** Why a request failed; fails the test, without waiting, if it has not. */
    private static Throwable failure(CompletableFuture<Object> request) {
        assertThat(request).isCompletedExceptionally();
        return request.handle((value, error) -> error).getNow(null);
    }

    @Test
    void aReplyCompletesTheRequestWaitingForItAndGoesNoFurther() {
        CompletableFuture<Object> ping = pending.expect(3, Pong.class);
        CompletableFuture<Object> echo = pending.expect(5, Echoed.class);
        channel.writeInbound(decoded(ECHOED, new Echoed("e", "t"), 1, 1));
        channel.writeInbound(decoded(PONG, new Pong(7), 1, 1));

        assertThat(echo).isCompletedWithValue(new Echoed("e", "t"));
        assertThat(ping).isCompletedWithValue(new Pong(7));
        assertThat(handlers).isEmpty();
    }

    @Test
    void aPacketNobodyWaitsForGoesToTheHandlers() {
        CompletableFuture<Object> ping = pending.expect(3, Pong.class);
        Inbound.Decoded push = decoded(PUSH, new Push("news"), 1, 1);
        Inbound.Decoded unexpected = decoded(ECHOED, new Echoed("late", "t"), 1, 1);
        channel.writeInbound(push, unexpected);

        assertThat(handlers).containsExactly(push, unexpected);
        assertThat(ping).isNotDone();
    }

    @Test
    void everyDecodedFrameSetsTheConnectionsVersionAndSerializerMatchedOrNot() {
        pending.expect(3, Pong.class);
        channel.writeInbound(decoded(PONG, new Pong(1), 2, 3));
        assertThat(connection.protocolVersion()).isEqualTo(2);
        assertThat(connection.serializerId()).isEqualTo(3);

        channel.writeInbound(decoded(PUSH, new Push("news"), 4, 5));
        assertThat(connection.protocolVersion()).isEqualTo(4);
        assertThat(connection.serializerId()).isEqualTo(5);
    }

    @Test
    void anErrorReplyFailsTheRequestItNames() {
        CompletableFuture<Object> ping = pending.expect(3, Pong.class);
        CompletableFuture<Object> echo = pending.expect(5, Echoed.class);
        channel.writeInbound(decoded(OOPS, new Oops(5, "NOT_AUTHENTICATED"), 1, 1));

        assertThat(failure(echo)).isInstanceOf(RequestFailedException.class)
                .hasMessage("request 5 failed: NOT_AUTHENTICATED");
        assertThat(ping).isNotDone();
        assertThat(handlers).isEmpty();
    }

    @Test
    void whatIsNotADecodedPacketGoesOnUntouched() {
        CompletableFuture<Object> ping = pending.expect(3, Pong.class);
        Inbound.Rejected rejected = new Inbound.Rejected(new FrameHeader(9, 9, 4, 0),
                new Failure(Failure.Kind.MALFORMED_BODY, 4, Pong.class, null, null));
        channel.writeInbound(rejected, "other");

        assertThat(handlers).containsExactly(rejected, "other");
        assertThat(ping).as("a reply that could not be decoded is not a reply").isNotDone();
        assertThat(connection.protocolVersion()).isEqualTo(1);
    }

    @Test
    void closingFailsEveryWaitingRequestAndTheEventGoesOn() {
        CompletableFuture<Object> ping = pending.expect(3, Pong.class);
        CompletableFuture<Object> echo = pending.expect(5, Echoed.class);
        channel.close();

        for (CompletableFuture<Object> request : List.of(ping, echo)) {
            assertThat(failure(request)).isInstanceOf(IOException.class)
                    .hasMessage("connection closed before the reply arrived");
        }
        assertThat(handlers).containsExactly("inactive");
        assertThat(pending.complete(new Pong(1))).as("nothing waits any more").isFalse();
    }

    @Test
    void requestsMadeAfterAnEarlierCloseStillGetTheirReplies() {
        pending.expect(3, Pong.class);
        channel.close();
        EmbeddedChannel next = new EmbeddedChannel();
        try {
            ChannelConnection.attach(next, null, 1, 1);
            next.pipeline().addLast(new ReplyMatcher(pending)); // the client's matcher: one for every connection
            CompletableFuture<Object> echo = pending.expect(5, Echoed.class);
            next.writeInbound(decoded(ECHOED, new Echoed("again", "t"), 1, 1));
            assertThat(echo).isCompletedWithValue(new Echoed("again", "t"));
        } finally {
            next.finishAndReleaseAll();
        }
    }
}
