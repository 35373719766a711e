package dev.switchboard.framework;

import dev.switchboard.framework.wire.FrameHeader;
import dev.switchboard.framework.wire.Serializers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.fixtures.echo.Packets.Echo;
import dev.switchboard.framework.fixtures.echo.Packets.Echoed;
import dev.switchboard.framework.fixtures.echo.Packets.Fail;
import dev.switchboard.framework.fixtures.echo.Packets.Later;
import dev.switchboard.framework.fixtures.echo.Packets.Login;
import dev.switchboard.framework.fixtures.echo.Packets.LoginOk;
import dev.switchboard.framework.fixtures.echo.Packets.Oops;
import dev.switchboard.framework.fixtures.echo.Packets.Ping;
import dev.switchboard.framework.fixtures.echo.Packets.Pong;
import dev.switchboard.framework.fixtures.echo.Packets.Slow;
import dev.switchboard.framework.fixtures.echo.Packets.Unhandled;
import dev.switchboard.framework.testing.WireCodec.Received;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Dispatch through the production server pipeline: replies, failures, blocking order, interceptors. */
class DispatchPipelineTest {

    private EmbeddedServer server = new EmbeddedServer();

    @AfterEach
    void close() {
        server.close();
    }

    private void login() {
        server.send(new Login("ann"));
        server.runBusiness();
        assertThat(server.replies()).containsExactly(new LoginOk("ann"));
    }

    private static Echoed echoed(String text) {
        return new Echoed(text, Thread.currentThread().getName());
    }

    @Test
    void theHandlersReturnValueIsTheReplyOnTheEventLoop() {
        login();
        server.send(new Echo("hi"));
        assertThat(server.replies()).containsExactly(echoed("hi"));
        assertThat(server.probe.calls).containsExactly("login:ann", "echo:hi");
    }

    @Test
    void everyReplyIsInTheRequestsVersionAndSerializer() {
        login();
        server.send(new Ping(1), 1, Serializers.JSON_ID);
        server.send(new Ping(2), 7, Serializers.JSONB_ID);
        server.send(new Fail("x"), 9, Serializers.JSONB_ID);
        server.send(new Echo("e"), 4, Serializers.JSON_ID);

        List<Received> written = server.written();
        assertThat(written).extracting(Received::packet).containsExactly(new Pong(1), new Pong(2),
                new Oops(7, "HANDLER_FAILED: x"), echoed("e"));
        assertThat(written).extracting(r -> r.header().version()).containsExactly(1, 7, 9, 4);
        assertThat(written).extracting(r -> r.header().serializerId()).containsExactly(1, 2, 2, 1);
        assertThat(server.connection().protocolVersion()).isEqualTo(4);
    }

    @Test
    void pushesUseTheLatestFramesVersionAndSerializer() {
        server.send(new Ping(1), 3, Serializers.JSONB_ID);
        server.written();
        server.connection().send(new Pong(9));
        Received push = server.written().get(0);
        assertThat(push.header().version()).isEqualTo(3);
        assertThat(push.header().serializerId()).isEqualTo(Serializers.JSONB_ID);
    }

    @Test
    void aCompletionStageIsRepliedWhenItCompletes() {
        login();
        server.send(new Later("a"));
        assertThat(server.replies()).isEmpty();

        server.probe.later.poll().complete(new Echoed("done"));
        assertThat(server.replies()).containsExactly(new Echoed("done"));

        server.send(new Later("now:b"));
        assertThat(server.replies()).containsExactly(new Echoed("now:b"));
    }

    @Test
    void aMinimalCompletionStageIsRepliedWhetherDoneOrNotAndTheConnectionStaysOpen() {
        login();
        server.send(new Later("now:minimal")); // a CompletableFuture subclass whose isDone throws
        assertThat(server.replies()).containsExactly(new Echoed("now:minimal"));

        server.send(new Later("minimal later"));
        assertThat(server.replies()).isEmpty();
        server.probe.later.poll().complete(new Echoed("done"));
        assertThat(server.replies()).containsExactly(new Echoed("done"));
        assertThat(server.connection().isOpen()).isTrue();
    }

    @Test
    void repliesLeaveInRequestOrderWhateverOrderTheirStagesCompleteIn() {
        login();
        server.send(new Later("first"));
        server.send(new Later("now:second")); // ready at once, but waits for the first
        server.send(new Ping(3));             // a plain reply waits too
        server.send(new Later("fourth"));
        server.send(new Fail("fifth"));       // so does an error reply
        assertThat(server.replies()).isEmpty();

        CompletableFuture<Echoed> first = server.probe.later.poll();
        CompletableFuture<Echoed> fourth = server.probe.later.poll();
        fourth.complete(new Echoed("fourth"));
        assertThat(server.replies()).as("the fourth is ready, the first is not").isEmpty();

        first.complete(new Echoed("first"));
        assertThat(server.replies()).containsExactly(new Echoed("first"), new Echoed("now:second"), new Pong(3),
                new Echoed("fourth"), new Oops(7, "HANDLER_FAILED: fifth"));
    }

    @Test
    void requestsInFlightAreCountedUntilTheirReplyIsWrittenForTheDrainToWaitOn() {
        login();
        assertThat(server.inFlight.count()).isZero();
        server.send(new Echo("sync"));
        assertThat(server.inFlight.count()).as("a reply written in the same turn is never counted").isZero();

        server.send(new Slow("queued"));
        assertThat(server.inFlight.count()).as("a blocking handler queued on the business executor").isOne();
        server.runBusiness();
        assertThat(server.inFlight.count()).isZero();

        server.send(new Later("stage"));
        server.send(new Ping(1)); // waits behind the stage's reply, on the event loop: one more
        assertThat(server.inFlight.count()).isEqualTo(2);
        server.probe.later.poll().complete(new Echoed("stage"));
        assertThat(server.replies()).containsExactly(echoed("sync"), echoed("queued"),
                new Echoed("stage"), new Pong(1));
        assertThat(server.inFlight.count()).isZero();
    }

    @Test
    void aConnectionClosingGivesBackWhatItHadInFlight() {
        login();
        server.send(new Later("never"));
        server.send(new Login("behind")); // blocking, waiting for the reply before it
        assertThat(server.inFlight.count()).isEqualTo(2);

        server.channel.close();
        assertThat(server.inFlight.count()).isZero();
        server.probe.later.poll().complete(new Echoed("too late"));
        server.runBusiness();
        assertThat(server.inFlight.count()).as("nothing given back twice").isZero();
    }

    @Test
    void aBlockingHandlerStartsOnlyAfterEveryEarlierReplyIsOut() {
        login();
        server.send(new Later("pending"));
        server.send(new Login("again")); // blocking: it could write to the connection itself
        server.runBusiness();
        assertThat(server.probe.calls).as("not started while a reply is pending").doesNotContain("login:again");

        server.probe.later.poll().complete(new Echoed("pending"));
        server.runBusiness();
        assertThat(server.probe.calls).contains("login:again");
        assertThat(server.replies()).startsWith(new Echoed("pending"));
    }

    @Test
    void aStageCompletedOnAnotherThreadIsRepliedInOrderToo() throws Exception {
        login();
        server.send(new Later("a"));
        server.send(new Later("b"));
        CompletableFuture<Echoed> a = server.probe.later.poll();
        CompletableFuture<Echoed> b = server.probe.later.poll();
        Thread other = new Thread(() -> {
            b.complete(new Echoed("b"));
            a.complete(new Echoed("a"));
        });
        other.start();
        other.join();
        assertThat(server.replies()).containsExactly(new Echoed("a"), new Echoed("b"));
    }

    @Test
    void aFailedCompletionStageGoesToTheErrorHandlerUnwrapped() {
        login();
        server.send(new Later("c"));
        server.probe.later.poll().completeExceptionally(new CompletionException(new IllegalArgumentException("no")));

        assertThat(server.replies()).containsExactly(new Oops(8, "HANDLER_FAILED: no"));
        assertThat(server.probe.failures).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Failure.Kind.HANDLER_FAILED);
            assertThat(f.cause()).isInstanceOf(IllegalArgumentException.class);
            assertThat(f.packet()).isEqualTo(new Later("c"));
        });
    }

    @Test
    void aHandlerExceptionGoesToTheErrorHandlerAndTheConnectionStaysOpen() {
        login();
        server.send(new Fail("broken"));
        server.send(new Echo("after"));

        assertThat(server.replies()).containsExactly(new Oops(7, "HANDLER_FAILED: broken"), echoed("after"));
        assertThat(server.probe.failures).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Failure.Kind.HANDLER_FAILED);
            assertThat(f.cause()).isExactlyInstanceOf(IllegalStateException.class).hasMessage("broken");
            assertThat(f.packetType()).isEqualTo(Fail.class);
        });
        assertThat(server.channel.isOpen()).isTrue();
    }

    @Test
    void anUnknownCommandIsAnsweredByTheErrorHandler() {
        server.sendRaw(server.codec.raw(new FrameHeader(1, 1, 200, 2), "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(server.replies()).containsExactly(new Oops(200, "UNKNOWN_COMMAND"));
        assertThat(server.channel.isOpen()).isTrue();
    }

    @Test
    void malformedJsonIsAnsweredByTheErrorHandler() {
        login();
        server.sendRaw(server.codec.raw(new FrameHeader(1, 1, 5, 6), "{\"text".getBytes(StandardCharsets.UTF_8)));
        server.send(new Echo("still here"));

        List<Object> replies = server.replies();
        assertThat(replies).hasSize(2);
        assertThat(replies.get(0)).isInstanceOfSatisfying(Oops.class, oops -> {
            assertThat(oops.requestCommand()).isEqualTo(5);
            assertThat(oops.reason()).startsWith("MALFORMED_BODY");
        });
        assertThat(replies.get(1)).isEqualTo(echoed("still here"));
        assertThat(server.probe.calls).doesNotContain("echo:null");
    }

    @Test
    void anUnknownSerializerIsAnsweredInTheConnectionsSerializer() {
        server.send(new Ping(1), 1, Serializers.JSONB_ID);
        server.written();
        server.sendRaw(server.codec.raw(new FrameHeader(1, 99, 3, 2), "{}".getBytes(StandardCharsets.UTF_8)));

        List<Received> written = server.written();
        assertThat(written).extracting(Received::packet).containsExactly(new Oops(3, "UNKNOWN_SERIALIZER"));
        assertThat(written.get(0).header().serializerId()).isEqualTo(Serializers.JSONB_ID);
        assertThat(server.connection().serializerId()).as("a bad frame does not change the connection")
                .isEqualTo(Serializers.JSONB_ID);

        server.connection().send(new Pong(2));
        assertThat(server.replies()).containsExactly(new Pong(2));
    }

    @Test
    void aPacketWithoutHandlerIsAnsweredByTheErrorHandler() {
        login();
        server.send(new Unhandled("?"));
        assertThat(server.replies()).containsExactly(new Oops(12, "NO_HANDLER"));
    }

    @Test
    void aPacketPipelinedBehindABlockingLoginIsDispatchedAfterItAndPassesTheAuthGate() {
        server.sendTogether(new Login("bob"), new Echo("right behind"));
        assertThat(server.probe.calls).as("nothing runs before the login").isEmpty();
        assertThat(server.replies()).isEmpty();

        server.runBusiness();

        assertThat(server.replies()).containsExactly(new LoginOk("bob"), echoed("right behind"));
        assertThat(server.probe.calls).containsExactly("login:bob", "echo:right behind");
        assertThat(server.probe.failures).isEmpty();
    }

    @Test
    void blockingHandlersKeepTheConnectionsOrder() {
        login();
        server.sendTogether(new Slow("1"), new Echo("2"), new Slow("3"), new Ping(4), new Fail("5"));
        assertThat(server.business.queued()).isEqualTo(1);

        server.business.runOne();
        server.channel.runPendingTasks();
        assertThat(server.probe.calls).containsExactly("login:ann", "slow:1", "echo:2");
        assertThat(server.business.queued()).as("the second blocking handler").isEqualTo(1);

        server.runBusiness();
        assertThat(server.probe.calls).containsExactly("login:ann", "slow:1", "echo:2", "slow:3", "ping:4",
                "fail:5");
        assertThat(server.replies()).extracting(Object::getClass).containsExactly(Echoed.class, Echoed.class,
                Echoed.class, Pong.class, Oops.class);
    }

    @Test
    void aFullBusinessExecutorAnswersOverloadedAndLaterPacketsStillFlow() {
        login();
        server.business.rejecting(true);
        server.sendTogether(new Slow("x"), new Echo("next"));

        assertThat(server.replies()).containsExactly(new Oops(9, "OVERLOADED: ManualExecutor is rejecting"),
                echoed("next"));
    }

    @Test
    void anOverloadedReplyKeepsItsPlaceInTheConnectionsOrder() {
        login();
        server.sendTogether(new Slow("a"), new Slow("b"), new Echo("c"));
        server.business.rejecting(true);
        server.business.runAll();
        server.channel.runPendingTasks();

        assertThat(server.replies()).containsExactly(echoed("a"),
                new Oops(9, "OVERLOADED: ManualExecutor is rejecting"), echoed("c"));
    }

    @Test
    void readingStopsWhileTooManyPacketsWaitBehindABlockingHandler() {
        server.close();
        server = new EmbeddedServer(c -> c.maxQueuedPerConnection(2));
        login();
        server.send(new Slow("s"));
        server.send(new Echo("1"));
        assertThat(server.channel.config().isAutoRead()).isTrue();
        server.send(new Echo("2"));
        assertThat(server.channel.config().isAutoRead()).isFalse();

        server.runBusiness();
        assertThat(server.channel.config().isAutoRead()).isTrue();
        assertThat(server.probe.calls).containsExactly("login:ann", "slow:s", "echo:1", "echo:2");
    }

    @Test
    void packetsWaitingBehindABlockingHandlerAreDroppedWhenTheConnectionCloses() {
        login();
        server.sendTogether(new Slow("s"), new Echo("never"));
        server.channel.close();
        server.runBusiness();

        assertThat(server.probe.calls).containsExactly("login:ann", "slow:s");
    }

    @Test
    void interceptorsRunInOrderAroundTheHandler() {
        List<String> trace = new CopyOnWriteArrayList<>();
        server.close();
        server = new EmbeddedServer(c -> c
                .interceptor(invocation -> {
                    trace.add("outer>" + invocation.packet().getClass().getSimpleName());
                    Object reply = invocation.proceed();
                    trace.add("<outer");
                    return reply;
                })
                .interceptor(invocation -> {
                    trace.add("inner>" + invocation.connection().isAuthenticated());
                    Object reply = invocation.proceed();
                    trace.add("<inner");
                    return reply instanceof Pong pong ? new Pong(pong.n() * 10) : reply;
                }));
        server.send(new Ping(4));

        assertThat(trace).containsExactly("outer>Ping", "inner>false", "<inner", "<outer");
        assertThat(server.replies()).containsExactly(new Pong(40));
    }

    @Test
    void anInterceptorThatThrowsIsAHandlerFailure() {
        server.close();
        server = new EmbeddedServer(c -> c.interceptor(invocation -> {
            throw new SecurityException("rate limited");
        }));
        server.send(new Ping(1));

        assertThat(server.replies()).containsExactly(new Oops(3, "HANDLER_FAILED: rate limited"));
        assertThat(server.probe.calls).isEmpty();
    }

    @Test
    void anInterceptorThatSkipsOrRepeatsProceedIsNamed() {
        server.close();
        server = new EmbeddedServer(c -> c.interceptor(new SkipsProceed()));
        server.send(new Ping(1));
        assertThat(server.replies()).containsExactly(new Oops(3, "HANDLER_FAILED: interceptor "
                + SkipsProceed.class.getName() + " must call proceed() exactly once (or throw); it returned without"
                + " calling it"));
        assertThat(server.probe.calls).isEmpty();

        server.close();
        server = new EmbeddedServer(c -> c.interceptor(new RepeatsProceed()));
        server.send(new Ping(2));
        assertThat(server.replies()).containsExactly(new Oops(3, "HANDLER_FAILED: interceptor "
                + RepeatsProceed.class.getName() + " must call proceed() exactly once; it called it again"));
        assertThat(server.probe.calls).as("the handler ran once, for the first proceed()").hasSize(1);
    }

    private static final class SkipsProceed implements Interceptor {
        @Override
        public Object intercept(Invocation invocation) {
            return new Pong(99);
        }
    }

    private static final class RepeatsProceed implements Interceptor {
        @Override
        public Object intercept(Invocation invocation) throws Exception {
            invocation.proceed();
            return invocation.proceed();
        }
    }

    @Test
    void anErrorHandlerThatThrowsOrAnswersNothingLeavesTheConnectionOpen() {
        server.close();
        server = new EmbeddedServer(c -> c.errorHandler((connection, failure) -> {
            if (failure.kind() == Failure.Kind.HANDLER_FAILED) {
                throw new IllegalStateException("error handler bug");
            }
            return null;
        }));
        login();
        server.send(new Fail("x"));
        server.send(new Unhandled("y"));
        server.send(new Ping(1));

        assertThat(server.replies()).containsExactly(new Pong(1));
        assertThat(server.channel.isOpen()).isTrue();
    }

    @Test
    void invokersNameTheirMethodAndAreBoundOnceAtStartup() {
        var binding = server.wiring.table.get(Echo.class);
        assertThat(binding).hasToString("@Handles EchoHandlers.echo(Echo, Connection)");
        assertThat(server.wiring.table.get(Ping.class)).hasToString("@Handles EchoHandlers.ping(Ping)");
        // Generated by LambdaMetafactory (a hidden class), or one of the factory's adapters around one.
        Class<?> invoker = binding.invoker().getClass();
        assertThat(invoker.isHidden() || invoker.getName().contains("InvokerFactory")).as(invoker.getName()).isTrue();
        assertThat(server.wiring.table.get(Echo.class)).isSameAs(binding);
    }

    @Test
    void decodeErrorsCloseTheConnection() {
        server.sendRaw(io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4}));
        assertThat(server.channel.isOpen()).isFalse();
        assertThat(server.probe.failures).isEmpty();
    }

}
