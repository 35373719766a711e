package dev.switchboard.framework.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.fixtures.echo.Packets.Echoed;
import dev.switchboard.framework.fixtures.echo.Packets.Oops;
import dev.switchboard.framework.fixtures.echo.Packets.Pong;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class PendingRepliesTest {

    private final PendingReplies pending = new PendingReplies();

    @Test
    void repliesOfOneTypeCompleteTheOldestRequestFirst() {
        CompletableFuture<Object> first = pending.expect(3, Pong.class);
        CompletableFuture<Object> second = pending.expect(3, Pong.class);

        assertThat(pending.complete(new Pong(1))).isTrue();
        assertThat(pending.complete(new Pong(2))).isTrue();
        assertThat(pending.complete(new Pong(3))).as("nobody waits any more").isFalse();
        assertThat(first).isCompletedWithValue(new Pong(1));
        assertThat(second).isCompletedWithValue(new Pong(2));
    }

    @Test
    void aReplyOnlyCompletesARequestExpectingItsClass() {
        CompletableFuture<Object> ping = pending.expect(3, Pong.class);
        CompletableFuture<Object> echo = pending.expect(5, Echoed.class);

        assertThat(pending.complete(new Echoed("e"))).isTrue();
        assertThat(echo).isCompletedWithValue(new Echoed("e"));
        assertThat(ping).isNotDone();
    }

    @Test
    void anErrorReplyFailsTheOldestRequestItNames() {
        CompletableFuture<Object> ping = pending.expect(3, Pong.class);
        CompletableFuture<Object> echo = pending.expect(5, Echoed.class);

        assertThat(pending.complete(new Oops(5, "NOT_AUTHENTICATED"))).isTrue();
        assertThat(echo).isCompletedExceptionally();
        assertThat(echo.handle((value, error) -> error).join())
                .isInstanceOf(dev.switchboard.framework.RequestFailedException.class)
                .hasMessage("request 5 failed: NOT_AUTHENTICATED");
        assertThat(ping).isNotDone();
        assertThat(pending.complete(new Oops(9, "nobody asked"))).isFalse();
    }

    @Test
    void aTimedOutRequestNoLongerTakesReplies() throws Exception {
        CompletableFuture<Object> late = pending.expect(3, Pong.class);
        late.orTimeout(1, TimeUnit.MILLISECONDS);
        assertThat(late.handle((value, error) -> error).get(5, TimeUnit.SECONDS))
                .isInstanceOf(TimeoutException.class);
        CompletableFuture<Object> next = pending.expect(3, Pong.class);

        assertThat(pending.complete(new Pong(1))).isTrue();
        assertThat(next).isCompletedWithValue(new Pong(1));
    }

    @Test
    void aRequestFailedOtherwiseNoLongerTakesReplies() {
        CompletableFuture<Object> unsent = pending.expect(3, Pong.class);
        unsent.completeExceptionally(new IOException("not connected"));
        CompletableFuture<Object> cancelled = pending.expect(3, Pong.class);
        cancelled.cancel(false);
        CompletableFuture<Object> next = pending.expect(3, Pong.class);

        assertThat(pending.complete(new Pong(1))).isTrue();
        assertThat(next).isCompletedWithValue(new Pong(1));
    }

    @Test
    void failAllFailsEveryWaitingRequest() {
        CompletableFuture<Object> a = pending.expect(3, Pong.class);
        CompletableFuture<Object> b = pending.expect(5, Echoed.class);
        pending.failAll(new IOException("closed"));

        assertThat(a).isCompletedExceptionally();
        assertThat(b).isCompletedExceptionally();
        assertThat(pending.complete(new Pong(1))).isFalse();
    }
}
