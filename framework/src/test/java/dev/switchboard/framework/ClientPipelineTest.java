package dev.switchboard.framework;

import dev.switchboard.framework.internal.scan.ProtocolScanner;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.fixtures.echo.Packets.Echo;
import dev.switchboard.framework.fixtures.echo.Packets.Echoed;
import dev.switchboard.framework.fixtures.echo.Packets.Ping;
import dev.switchboard.framework.fixtures.echo.Packets.Push;
import dev.switchboard.framework.fixtures.echo.Probe;
import dev.switchboard.framework.testing.ManualExecutor;
import dev.switchboard.framework.testing.WireCodec;
import dev.switchboard.framework.internal.transport.PendingReplies;
import dev.switchboard.framework.internal.transport.PipelineNames;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The production client pipeline ({@link ClientPipeline}) on an EmbeddedChannel with fake time. */
class ClientPipelineTest {

    private final Probe probe = new Probe();
    private final PendingReplies pending = new PendingReplies();
    private final AtomicLong beats = new AtomicLong();
    private final ClientConfig config = new ClientConfig();
    private final Wiring wiring;
    private final WireCodec codec;
    private final EmbeddedChannel channel;

    ClientPipelineTest() {
        config.scan(EmbeddedServer.ECHO, "dev.switchboard.framework.fixtures.echoclient")
                .modules(binder -> binder.bind(Probe.class).toInstance(probe))
                .readerIdleTimeout(Duration.ofSeconds(15))
                .heartbeat(Duration.ofSeconds(5), () -> new Ping(beats.incrementAndGet()));
        wiring = Wiring.build(config, ProtocolScanner.Side.CLIENT);
        codec = new WireCodec(wiring.registry);
        ClientPipeline pipeline = new ClientPipeline(config, wiring, new ManualExecutor(), pending, null);
        channel = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                pipeline.init(ch, new ClientConfig.ServerAddress("127.0.0.1", 1));
            }
        });
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void advance(Duration time) {
        channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    private Object written() {
        Object out = channel.readOutbound();
        if (out == null) {
            return null;
        }
        assertThat(out).as("what reaches the socket").isInstanceOf(ByteBuf.class);
        return codec.decodeAll((ByteBuf) out).get(0).packet();
    }

    @Test
    void handlersAreInTheDocumentedOrder() {
        assertThat(channel.pipeline().names()).startsWith(PipelineNames.IDLE, PipelineNames.IDLE_ACTION,
                PipelineNames.FRAME_DECODER, PipelineNames.PACKET_DECODER, PipelineNames.PACKET_ENCODER,
                PipelineNames.REPLIES, PipelineNames.ORDER, PipelineNames.DISPATCH, PipelineNames.ERRORS);
    }

    @Test
    void aHeartbeatIsEncodedAndSentWheneverNothingWasWrittenForTheInterval() {
        advance(Duration.ofSeconds(4));
        assertThat(written()).isNull();
        advance(Duration.ofSeconds(1));
        assertThat(written()).isEqualTo(new Ping(1));
        assertThat(channel.isOpen()).isTrue();

        advance(Duration.ofSeconds(3));
        channel.writeAndFlush(new dev.switchboard.framework.internal.codec.Outbound(new Echo("x"), 1, 1));
        assertThat(written()).isEqualTo(new Echo("x"));
        advance(Duration.ofSeconds(3));
        assertThat(written()).as("a write postpones the heartbeat").isNull();
        advance(Duration.ofSeconds(2));
        assertThat(written()).isEqualTo(new Ping(2));
    }

    @Test
    void aSilentServerIsDisconnectedAfterTheReaderIdleTime() {
        advance(Duration.ofSeconds(10));
        channel.writeInbound(codec.encode(new Push("alive")));
        advance(Duration.ofSeconds(10));
        assertThat(channel.isOpen()).isTrue();
        advance(Duration.ofSeconds(5));
        assertThat(channel.isOpen()).isFalse();
        for (Object heartbeat; (heartbeat = channel.readOutbound()) != null; ) {
            io.netty.util.ReferenceCountUtil.release(heartbeat);
        }
    }

    @Test
    void aMatchedReplyCompletesItsRequestAndOthersGoToTheHandlers() {
        CompletableFuture<Object> reply = pending.expect(5, Echoed.class);
        channel.writeInbound(codec.encode(new Push("pushed")));
        channel.writeInbound(codec.encode(new Echoed("answer", null)));

        assertThat(reply).isCompletedWithValue(new Echoed("answer", null));
        assertThat(probe.calls).containsExactly("push:pushed");
    }

    @Test
    void losingTheConnectionFailsWaitingRequests() {
        CompletableFuture<Object> reply = pending.expect(5, Echoed.class);
        channel.close();
        assertThat(reply).isCompletedExceptionally();
    }
}
